package io.shoal.common.server;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most {@code max} long-lived streams of one kind open at once in a process (each holds a
 * thread, a connection or a watch); the next is refused with RESOURCE_EXHAUSTED naming the limit,
 * so many callers cannot exhaust a part that also runs the cluster.
 */
public final class StreamLimit {
  private final String what;
  private final String where;
  private final int max;
  private final Semaphore places;

  /**
   * @param what the streams, plural ("log streams")
   * @param where who serves them ("this node", "control")
   */
  public StreamLimit(String what, String where, int max) {
    this.what = what;
    this.where = where;
    this.max = max;
    this.places = new Semaphore(max);
  }

  /** Takes a place, or throws RESOURCE_EXHAUSTED; the returned place is given back once, however often it is closed. */
  public Place enter() {
    if (!places.tryAcquire()) {
      throw new ShoalException(Status.Code.RESOURCE_EXHAUSTED,
          where + " has " + max + " " + what + " open already (its limit); retry when one ends");
    }
    AtomicBoolean left = new AtomicBoolean();
    return () -> {
      if (left.compareAndSet(false, true)) {
        places.release();
      }
    };
  }

  /** Places taken now. */
  public int open() {
    return max - places.availablePermits();
  }

  /** One stream's place; closing it twice gives it back once. */
  @FunctionalInterface
  public interface Place extends AutoCloseable {
    @Override
    void close();
  }
}
