package io.shoal.agent.docker;

import com.github.dockerjava.core.RemoteApiVersion;

/**
 * Which Docker API version the agent speaks to an engine: the highest both the engine and
 * docker-java support, as the docker CLI negotiates it. The engine tells its range on
 * {@code GET /version} ({@code MinAPIVersion}..{@code ApiVersion}); Shoal's range is
 * {@link #FLOOR}..{@link #CEILING}. Docker Engine 29 refuses clients below API 1.44, so a pinned
 * older version would lock Shoal out of current engines.
 */
public final class EngineApiVersion {
  /**
   * The oldest API Shoal drives: Docker 20.10's, the engine Debian 12 ships and the one Shoal's
   * tests run on. Older engines are refused rather than driven untested.
   */
  public static final RemoteApiVersion FLOOR = RemoteApiVersion.VERSION_1_41;
  /** The newest API docker-java 3.6 models (Docker 25); newer engines, 29 included, accept it. */
  public static final RemoteApiVersion CEILING = RemoteApiVersion.VERSION_1_44;

  private EngineApiVersion() {}

  /**
   * The version to speak to an engine that reported {@code version} (its release, e.g. 29.1.2),
   * {@code apiVersion} and {@code minApiVersion} (empty when an old engine leaves it out).
   *
   * @param where the engine's address, named in the refusal
   * @throws IllegalStateException naming the versions and the fix when the ranges do not meet
   */
  public static RemoteApiVersion negotiate(String where, String version, String apiVersion, String minApiVersion) {
    RemoteApiVersion newest = parse(where, "ApiVersion", apiVersion);
    if (!newest.isGreaterOrEqual(FLOOR)) {
      throw new IllegalStateException("the Docker engine at " + where + " (" + version + ") speaks API "
          + newest.getVersion() + " at most; Shoal needs API " + FLOOR.getVersion()
          + " or later (Docker 20.10 or later): upgrade the engine");
    }
    RemoteApiVersion chosen = newest.isGreater(CEILING) ? CEILING : newest;
    if (!minApiVersion.isEmpty() && parse(where, "MinAPIVersion", minApiVersion).isGreater(chosen)) {
      throw new IllegalStateException("the Docker engine at " + where + " (" + version + ") accepts API "
          + minApiVersion + " and later, newer than the " + chosen.getVersion()
          + " this Shoal speaks: use a Shoal release that supports it, or an older engine");
    }
    return chosen;
  }

  private static RemoteApiVersion parse(String where, String field, String value) {
    if (!value.matches("1\\.\\d{1,3}")) {
      throw new IllegalStateException("the Docker engine at " + where + " answered GET /version with " + field
          + " \"" + value + "\", not a Docker API version (1.N): is it a Docker engine?");
    }
    return RemoteApiVersion.parseConfig(value);
  }
}
