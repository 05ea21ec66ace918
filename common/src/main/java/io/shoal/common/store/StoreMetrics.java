package io.shoal.common.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the store set aside rather than fail on, for the service's /metrics (Telemetry reads
 * these): values that do not decode, and writes etcd refuses for their size even alone.
 */
public final class StoreMetrics {
  static final LongAdder CORRUPT_VALUES = new LongAdder();
  static final LongAdder REFUSED_WRITES = new LongAdder();

  private StoreMetrics() {}

  /** Values skipped because they do not decode as their table's message. */
  public static long corruptValues() {
    return CORRUPT_VALUES.sum();
  }

  /** Single writes etcd refused as too large; they are dropped, never retried. */
  public static long refusedWrites() {
    return REFUSED_WRITES.sum();
  }
}
