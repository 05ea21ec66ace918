package io.shoal.meshproxy.ports;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps what is open at once, per published port and for the whole proxy: TCP connections (one
 * instance) or UDP flows (another). Each open one holds a slot from {@link #tryAcquire} until
 * {@link #release}. Taken once per connection or flow, never per read.
 *
 * <p>Threading: ports are served on several I/O threads, so both counts are atomic.
 */
public final class OpenSlots {
  private final int perPort;
  private final int total;
  private final AtomicInteger open = new AtomicInteger();

  public OpenSlots(int perPort, int total) {
    this.perPort = perPort;
    this.total = total;
  }

  /** Takes a slot of {@code port}; false, taking nothing, when the port or the proxy is full. */
  public boolean tryAcquire(PublishedPort port) {
    if (port.open.incrementAndGet() > perPort) {
      port.open.decrementAndGet();
      return false;
    }
    if (open.incrementAndGet() > total) {
      open.decrementAndGet();
      port.open.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back a slot taken by {@link #tryAcquire}. */
  public void release(PublishedPort port) {
    port.open.decrementAndGet();
    open.decrementAndGet();
  }

  /** Slots held now, all ports together. */
  public int open() {
    return open.get();
  }
}
