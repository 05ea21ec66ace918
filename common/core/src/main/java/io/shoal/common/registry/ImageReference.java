package io.shoal.common.registry;

import io.shoal.common.errors.InvalidArgumentException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed Docker image reference, {@code [registry[:port]/]path[:tag][@digest]}: the one grammar
 * of the CLI, control, the registry service and the agents. It follows Docker's reference package: a first component is a registry when it holds a '.' or
 * a ':' or is {@code localhost}; otherwise the registry is docker.io, where one-component paths
 * live under {@code library/}. A reference with neither tag nor digest means {@code :latest}.
 */
public record ImageReference(String registry, String path, String tag, String digest) {
  public static final String DOCKER_HUB = RegistryAddress.DOCKER_HUB;

  // Possessive repetitions (*+, ++): Java's regex engine recurses once per repeated group, so
  // greedy ones overflow the stack on a few hundred characters; possessive ones loop. Each keeps
  // the meaning of Docker's pattern, as a run of letters always ends where a separator starts.
  private static final Pattern PATH_COMPONENT =
      Pattern.compile("[a-z0-9]++(?:(?:[._]|__|-+)[a-z0-9]++)*+");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*+"
              + "|\\[(?:[a-fA-F0-9:]+)\\]");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("[A-Za-z][A-Za-z0-9]*+(?:[-_+.][A-Za-z][A-Za-z0-9]*+)*+:[0-9a-fA-F]{32,}");
  /** Docker's NameTotalLengthMax: registry and path, as written. */
  static final int MAX_NAME_LENGTH = 255;
  /**
   * The longest reference Docker can take: a {@value #MAX_NAME_LENGTH}-character name, ':', a
   * 128-character tag, '@' and a sha512 digest (7 + 128). Checked before any pattern runs.
   */
  static final int MAX_REFERENCE_LENGTH = MAX_NAME_LENGTH + 1 + 128 + 1 + 135;
  private static final Pattern HEX_ID = Pattern.compile("[a-f0-9]{64}");
  /** The algorithms Docker (go-digest) accepts, with the hex length each needs. */
  private static final java.util.Map<String, Integer> DIGEST_HEX_LENGTHS =
      java.util.Map.of("sha256", 64, "sha384", 96, "sha512", 128);

  /** Parses {@code reference}; INVALID_ARGUMENT on field {@code field} when it is malformed. */
  public static ImageReference parse(String reference, String field) {
    if (reference == null || reference.isEmpty()) {
      throw new InvalidArgumentException(field, "image reference must be provided");
    }
    if (reference.length() > MAX_REFERENCE_LENGTH) {
      throw invalid(field, reference, "longer than " + MAX_REFERENCE_LENGTH + " characters (a "
          + MAX_NAME_LENGTH + "-character name, a 128-character tag and a sha512 digest)");
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
      checkDigest(digest, field, reference);
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
    if (rest.length() > MAX_NAME_LENGTH) {
      throw invalid(field, reference, "repository name must not be longer than " + MAX_NAME_LENGTH + " characters");
    }
    if (HEX_ID.matcher(reference).matches()) {
      throw invalid(field, reference, "a 64-character hexadecimal string is an image id, not a repository name");
    }
    String registry = DOCKER_HUB;
    String path = rest;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      // Docker's rule: a first component with a '.', a ':' or an upper-case letter, or
      // "localhost", names a registry (upper case is allowed in host names only).
      if (first.contains(".") || first.contains(":") || first.equals("localhost")
          || !first.equals(first.toLowerCase(Locale.ROOT))) {
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

  private static void checkDigest(String digest, String field, String reference) {
    String algorithm = digest.substring(0, digest.indexOf(':'));
    String hex = digest.substring(digest.indexOf(':') + 1);
    Integer length = DIGEST_HEX_LENGTHS.get(algorithm);
    if (length == null) {
      throw invalid(field, reference, "unsupported digest algorithm '" + algorithm + "' (use sha256, sha384 or sha512)");
    }
    if (hex.length() != length || !hex.matches("[a-f0-9]+")) {
      throw invalid(field, reference, algorithm + " digest must have " + length + " lower-case hex characters");
    }
  }

  private static void checkDomain(String domain, String field, String reference) {
    String host = domain;
    int colon = domain.lastIndexOf(':');
    if (colon >= 0 && !domain.endsWith("]")) {
      String port = domain.substring(colon + 1);
      host = domain.substring(0, colon);
      if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
        throw invalid(field, reference, "invalid registry port '" + port + "'");
      }
    }
    if (!DOMAIN.matcher(host).matches()) {
      throw invalid(field, reference, "invalid registry host '" + host + "'");
    }
  }

  private static InvalidArgumentException invalid(String field, String reference, String why) {
    // An over-long reference is shown by its start, so the message stays readable.
    String shown = reference.length() <= MAX_REFERENCE_LENGTH ? "\"" + reference + "\""
        : "\"" + reference.substring(0, 64) + "…\" (" + reference.length() + " characters)";
    return new InvalidArgumentException(field, "invalid reference " + shown + ": " + why);
  }

  public boolean hasDigest() {
    return !digest.isEmpty();
  }

  /**
   * The repository as users write it: docker.io left out, and library/ too when an official
   * image's name follows (no further '/'), as Docker's FamiliarName does; "library/a/b" stays
   * whole, since "a/b" would read back as another repository; and docker.io stays when the first
   * component reads as a host ("docker.io/example.com/app"). Both found by CoreParsersFuzzTest.
   */
  public String familiarName() {
    if (registry.equals(DOCKER_HUB)) {
      String rest = path.startsWith("library/") ? path.substring("library/".length()) : path;
      String familiar = rest.indexOf('/') < 0 ? rest : path;
      // A first component that reads as a registry host keeps docker.io in front, or it would be one.
      int slash = familiar.indexOf('/');
      String first = slash < 0 ? "" : familiar.substring(0, slash);
      boolean readsAsHost = first.contains(".") || first.contains(":") || first.equals("localhost");
      return readsAsHost ? DOCKER_HUB + "/" + familiar : familiar;
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

  /** As users write it: {@link #familiarString}. */
  @Override
  public String toString() {
    return familiarString();
  }

  public ImageReference withDigest(String newDigest) {
    return new ImageReference(registry, path, tag, newDigest);
  }

  /**
   * What an engine runs and looks up: {@code name@digest} when pinned (the tag is only
   * informative once the digest is known, and the engine would otherwise check the tag again),
   * else {@code name:tag}; the name in familiar form, as the engine names it.
   */
  public String forEngine() {
    return hasDigest() ? familiarName() + "@" + digest : familiarName() + ":" + tag;
  }

  /** The {@code tag} parameter of an engine pull of {@link #familiarName}: the digest when pinned, else the tag. */
  public String pullTag() {
    return hasDigest() ? digest : tag;
  }

  /** The host (and port) to talk to: Docker Hub's API lives on registry-1.docker.io. */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
  }
}
