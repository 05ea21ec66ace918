package io.shoal.meshproxy.ports;

import io.netty.util.AttributeKey;
import io.shoal.meshproxy.metrics.PortStats;
import io.shoal.meshproxy.routes.PortKey;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of one open listener that its connections share: which port it serves (the key to
 * its route), its counters, and its round-robin position. Each accepted connection carries it
 * as the {@link #ATTR} attribute, the way one bootstrap serves many ports.
 */
public final class PublishedPort {
  public static final AttributeKey<PublishedPort> ATTR = AttributeKey.valueOf("shoal.published-port");
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final PortKey key;
  private final PortStats stats;
  // Connections of one port are accepted on different I/O threads.
  private final AtomicInteger cursor;
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
  /** Connections or flows of this listener holding a slot of its frontend's {@link OpenSlots}. */
  final AtomicInteger open = new AtomicInteger();

  /**
   * A port whose round robin starts at backend {@code rotationStart} (modulo their number): a
   * random one in the proxy ({@link io.shoal.meshproxy.balance.RotationStarts}), 0 in tests that
   * check the order.
   */
  public PublishedPort(PortKey key, PortStats stats, int rotationStart) {
    this.key = key;
    this.stats = stats;
    this.cursor = new AtomicInteger(rotationStart);
  }

  public PortKey key() {
    return key;
  }

  public PortStats stats() {
    return stats;
  }

  /** The backend index where the next connection starts, cycling through {@code count}. */
  public int nextIndex(int count) {
    return Math.floorMod(cursor.getAndIncrement(), count);
  }

  /** True at most once per 10 s, so an outage logs a line, not a line per connection. */
  public boolean shouldWarn() {
    long now = System.nanoTime();
    long last = lastWarning.get();
    return now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now);
  }

  @Override
  public String toString() {
    return key.toString();
  }
}
