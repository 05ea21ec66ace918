package io.shoal.agent.docker;

import java.time.Duration;

/**
 * How long the agent waits for dockerd.
 *
 * @param call an ordinary call (inspect, create, start, remove, ...): the time to the whole
 *     answer; a stop gets its grace period more, since dockerd answers once the container is gone
 * @param pull a whole image pull, from the request to the last progress message
 */
public record DockerTimeouts(Duration call, Duration pull) {
  /**
   * A minute for a call: dockerd answers in milliseconds, and in seconds when busy (a create
   * under load, a remove of a large container); a minute without an answer is a hung engine. Ten
   * minutes for a pull: a few hundred MiB over a slow link, and still a bound on a registry that
   * accepts and never answers (dockerd has no such bound of its own).
   */
  public static final DockerTimeouts DEFAULT =
      new DockerTimeouts(Duration.ofMinutes(1), Duration.ofMinutes(10));

  /** {@code d} as Go and the agent's flags write it: 500ms, 5s, 1m, 1m30s. */
  static String format(Duration d) {
    if (d.toMillisPart() != 0 || d.isZero()) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    return s % 60 == 0 ? s / 60 + "m" : s / 60 + "m" + s % 60 + "s";
  }
}
