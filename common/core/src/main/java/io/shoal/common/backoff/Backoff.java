package io.shoal.common.backoff;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with equal jitter: the n-th delay (from 0) is drawn uniformly
 * between half and all of {@code min·2^n}, capped at {@code max}; {@link #reset} after a success.
 *
 * <p>The jitter spreads retries that a shared cause started together (a thousand agents losing
 * the same dispatcher) so they do not come back in lockstep; keeping half of each step keeps
 * the retries of one caller from collapsing into a tight loop, as full jitter's near-zero draws
 * would. No delay is longer than the unjittered one. Thread-safe.
 */
public final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private final RandomGenerator random;
  private int attempt;

  /** With a random source of its own. */
  public Backoff(Duration min, Duration max) {
    this(min, max, new SplittableRandom());
  }

  /** With {@code random} for the jitter: tests pass a seeded one. */
  public Backoff(Duration min, Duration max, RandomGenerator random) {
    if (min.toMillis() < 1 || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("backoff needs 1ms <= min <= max, got " + min + " and " + max);
    }
    this.minMillis = min.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  /** The delay before the next attempt. */
  public synchronized Duration next() {
    long step = step(attempt);
    if (step < maxMillis) {
      attempt++;
    }
    long half = step / 2;
    return Duration.ofMillis(step - half + random.nextLong(half + 1));
  }

  /** After a success: the next delay is the shortest again. */
  public synchronized void reset() {
    attempt = 0;
  }

  /** {@code min·2^n} capped at max, without overflowing. */
  private long step(int n) {
    return n >= Long.numberOfLeadingZeros(minMillis) - 1 ? maxMillis : Math.min(maxMillis, minMillis << n);
  }
}
