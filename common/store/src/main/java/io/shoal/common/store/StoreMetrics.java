package io.shoal.common.store;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the store set aside rather than fail on, for the service's /metrics ({@link StoreModule}
 * exports these): values that do not decode, and writes etcd refuses for their size even alone.
 */
public final class StoreMetrics {
  static final LongAdder CORRUPT_VALUES = new LongAdder();
  static final LongAdder REFUSED_WRITES = new LongAdder();

  private StoreMetrics() {}

  /** Exports the counters as {@code shoal_store_corrupt_values} and {@code shoal_store_refused_writes}. */
  static void export(OpenTelemetry openTelemetry) {
    Meter store = openTelemetry.getMeter("io.shoal.store");
    store.counterBuilder("shoal.store.corrupt_values")
        .setDescription("etcd values skipped because they do not decode (logged once per key)")
        .buildWithCallback(m -> m.record(corruptValues()));
    store.counterBuilder("shoal.store.refused_writes")
        .setDescription("writes etcd refused for their size even alone; dropped")
        .buildWithCallback(m -> m.record(refusedWrites()));
  }

  /** Values skipped because they do not decode as their table's message. */
  public static long corruptValues() {
    return CORRUPT_VALUES.sum();
  }

  /** Single writes etcd refused as too large; they are dropped, never retried. */
  public static long refusedWrites() {
    return REFUSED_WRITES.sum();
  }
}
