package io.shoal.cli.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Counts the notices of a {@link ServiceWatch}, so a reader can sleep until there is one it has
 * not seen: take {@link #seen()} before reading, then {@link #awaitAfter} that count. A notice
 * that arrives during the read wakes the next wait at once; none is lost between the two.
 */
public final class ChangeSignal {
  private long notices;

  /** The notices so far. */
  public synchronized long seen() {
    return notices;
  }

  /** Something changed. */
  public synchronized void notice() {
    notices++;
    notifyAll();
  }

  /** Returns once there are more notices than {@code seen}, or after {@code max}. */
  public synchronized void awaitAfter(long seen, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (notices == seen) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }
}
