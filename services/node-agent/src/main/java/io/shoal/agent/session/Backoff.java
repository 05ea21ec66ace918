package io.shoal.agent.session;

import java.time.Duration;

/** Capped exponential backoff: min, 2·min, 4·min, … up to max; reset after a success. Not thread-safe. */
public final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private long nextMillis;

  public Backoff(Duration min, Duration max) {
    this.minMillis = min.toMillis();
    this.maxMillis = max.toMillis();
    this.nextMillis = minMillis;
  }

  /** The delay before the next attempt. */
  public Duration next() {
    long delay = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return Duration.ofMillis(delay);
  }

  public void reset() {
    nextMillis = minMillis;
  }
}
