package io.shoal.scheduler;

import java.time.Duration;

/**
 * When the scheduler's next pass is due, from when the cluster changed: after a quiet gap with
 * no change (at most a maximum delay after the first one, as SwarmKit debounces), except that the
 * first change after the loop has been idle for a quiet gap is due at once (a leading edge): a
 * lone {@code service create} does not wait for changes that are not coming, and a burst costs
 * one pass more at most. Pure logic on {@code System.nanoTime()} values; the caller locks.
 */
final class Debounce {
  private final long quiet;
  private final long maxDelay;
  /** When the first change since the last pass came; 0 while nothing changed. */
  private long dirtySince;
  private long lastChange;
  private boolean passing;
  private long lastPassEnd;

  Debounce(Duration quiet, Duration maxDelay, long now) {
    this.quiet = quiet.toNanos();
    this.maxDelay = maxDelay.toNanos();
    this.lastPassEnd = now;
  }

  void changed(long now) {
    if (dirtySince == 0) {
      dirtySince = now;
      if (!passing && now - lastPassEnd >= quiet) {
        lastChange = now - quiet; // idle for a quiet gap already: nothing else is on its way
        return;
      }
    }
    lastChange = now;
  }

  /** A timer the reconciler asked for ran out: a pass is due at once. */
  void timerRanOut(long now) {
    dirtySince = now;
    lastChange = now - quiet;
  }

  boolean dirty() {
    return dirtySince != 0;
  }

  /** Nanoseconds until the pass is due (zero or less: now); only while {@link #dirty()}. */
  long dueIn(long now) {
    return Math.min(lastChange + quiet - now, dirtySince + maxDelay - now);
  }

  void passStarts() {
    dirtySince = 0;
    passing = true;
  }

  void passEnds(long now) {
    passing = false;
    lastPassEnd = now;
  }
}
