package io.shoal.registry;

import io.shoal.common.errors.InvalidArgumentException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed Docker image reference, {@code [registry[:port]/]path[:tag][@digest]}, following the
 * grammar of Docker's reference package: a first component is a registry when it holds a '.' or
 * a ':' or is {@code localhost}; otherwise the registry is docker.io, where one-component paths
 * live under {@code library/}. A reference with neither tag nor digest means {@code :latest}.
 */
public record ImageReference(String registry, String path, String tag, String digest) {
  public static final String DOCKER_HUB = "docker.io";

  private static final Pattern PATH_COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*"
              + "|\\[(?:[a-fA-F0-9:]+)\\]");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
  private static final int MAX_NAME_LENGTH = 255;

  /** Parses {@code reference}; INVALID_ARGUMENT on field {@code field} when it is malformed. */
  public static ImageReference parse(String reference, String field) {
    if (reference == null || reference.isEmpty()) {
      throw new InvalidArgumentException(field, "image reference must be provided");
    }
    String rest = reference;
    String digest = "";
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw invalid(field, reference, "invalid digest '" + digest + "'");
      }
      if (digest.startsWith("sha256:") && digest.length() != "sha256:".length() + 64) {
        throw invalid(field, reference, "sha256 digest must have 64 hex characters");
      }
    }
    String tag = "";
    int lastSlash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > lastSlash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw invalid(field, reference, "invalid tag '" + tag + "'");
      }
    }
    if (rest.isEmpty()) {
      throw invalid(field, reference, "repository name must be provided");
    }
    String registry = DOCKER_HUB;
    String path = rest;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        path = rest.substring(slash + 1);
        checkDomain(first, field, reference);
      }
    }
    if (path.isEmpty()) {
      throw invalid(field, reference, "repository name must be provided");
    }
    if (!path.equals(path.toLowerCase(Locale.ROOT))) {
      throw invalid(field, reference, "repository name must be lowercase");
    }
    for (String component : path.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        throw invalid(field, reference, "invalid repository name component '" + component + "'");
      }
    }
    if (registry.equals("index.docker.io")) {
      registry = DOCKER_HUB;
    }
    if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
      path = "library/" + path;
    }
    if ((registry + "/" + path).length() > MAX_NAME_LENGTH) {
      throw invalid(field, reference, "repository name must not be longer than " + MAX_NAME_LENGTH + " characters");
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = "latest";
    }
    return new ImageReference(registry, path, tag, digest);
  }

  private static void checkDomain(String domain, String field, String reference) {
    String host = domain;
    int colon = domain.lastIndexOf(':');
    if (colon >= 0 && !domain.endsWith("]")) {
      String port = domain.substring(colon + 1);
      host = domain.substring(0, colon);
      if (!port.matches("[0-9]+") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
        throw invalid(field, reference, "invalid registry port '" + port + "'");
      }
    }
    if (!DOMAIN.matcher(host).matches()) {
      throw invalid(field, reference, "invalid registry host '" + host + "'");
    }
  }

  private static InvalidArgumentException invalid(String field, String reference, String why) {
    return new InvalidArgumentException(field, "invalid reference \"" + reference + "\": " + why);
  }

  public boolean hasDigest() {
    return !digest.isEmpty();
  }

  /** The repository as users write it: docker.io and library/ left out, as Docker prints it. */
  public String familiarName() {
    if (registry.equals(DOCKER_HUB)) {
      return path.startsWith("library/") ? path.substring("library/".length()) : path;
    }
    return registry + "/" + path;
  }

  /** {@code name:tag}, {@code name@digest} or {@code name:tag@digest}, in familiar form. */
  public String familiarString() {
    StringBuilder s = new StringBuilder(familiarName());
    if (!tag.isEmpty()) {
      s.append(':').append(tag);
    }
    if (!digest.isEmpty()) {
      s.append('@').append(digest);
    }
    return s.toString();
  }

  public ImageReference withDigest(String newDigest) {
    return new ImageReference(registry, path, tag, newDigest);
  }

  /** The host (and port) to talk to: Docker Hub's API lives on registry-1.docker.io. */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
  }
}
