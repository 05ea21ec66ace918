package io.shoal.agent.exec;

import java.util.Optional;

/**
 * An image reference as a service spec holds it, split into what the engine needs. A pinned
 * reference {@code name:tag@sha256:…} runs by digest ({@code name@sha256:…}): the tag is only
 * informative once the digest is known, and the engine would otherwise check the tag again.
 *
 * @param name repository with its registry host, e.g. {@code 127.0.0.1:5000/team/web}
 * @param tag the tag, or empty
 * @param digest {@code sha256:…}, or empty
 */
public record ImageReference(String name, String tag, String digest) {

  /** Parses {@code [host[:port]/]path[:tag][@digest]}; fails on an empty reference. */
  public static ImageReference parse(String reference) {
    String ref = reference == null ? "" : reference.strip();
    if (ref.isEmpty()) {
      throw new IllegalArgumentException("ContainerSpec: image reference must be provided");
    }
    String digest = "";
    int at = ref.indexOf('@');
    if (at >= 0) {
      digest = ref.substring(at + 1);
      ref = ref.substring(0, at);
    }
    String tag = "";
    int colon = ref.lastIndexOf(':');
    // A colon before the last slash belongs to the registry's host:port, not to a tag.
    if (colon > ref.lastIndexOf('/')) {
      tag = ref.substring(colon + 1);
      ref = ref.substring(0, colon);
    }
    if (ref.isEmpty()) {
      throw new IllegalArgumentException("ContainerSpec: invalid image reference '" + reference + "'");
    }
    return new ImageReference(ref, tag, digest);
  }

  public boolean pinned() {
    return !digest.isEmpty();
  }

  /**
   * What the engine runs and looks up: {@code name@digest} when pinned, else {@code name:tag}
   * ({@code latest} when no tag is given, as docker does).
   */
  public String forEngine() {
    return pinned() ? name + "@" + digest : name + ":" + effectiveTag();
  }

  /** The {@code tag} parameter of an engine pull: the digest when pinned, else the tag. */
  public String pullTag() {
    return pinned() ? digest : effectiveTag();
  }

  /** The registry host of the name ({@code 127.0.0.1:5000}), if the name starts with one. */
  public Optional<String> registryHost() {
    int slash = name.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    String first = name.substring(0, slash);
    boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
    return host ? Optional.of(first) : Optional.empty();
  }

  private String effectiveTag() {
    return tag.isEmpty() ? "latest" : tag;
  }

  @Override
  public String toString() {
    return name + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
  }
}
