package io.shoal.common.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The JVM's memory by pool, under OpenTelemetry's semantic-convention names, so that a part's
 * heap can be watched from its /metrics (bench/soak.sh reads them for a growth trend):
 *
 * <pre>
 * jvm_memory_used_bytes{jvm_memory_type,jvm_memory_pool_name}                 used now
 * jvm_memory_committed_bytes{jvm_memory_type,jvm_memory_pool_name}            reserved from the OS
 * jvm_memory_limit_bytes{jvm_memory_type,jvm_memory_pool_name}                its maximum, when it has one
 * jvm_memory_used_after_last_gc_bytes{jvm_memory_type,jvm_memory_pool_name}   used right after the pool's
 *                                                                             last collection (heap pools)
 * </pre>
 *
 * <p>Used heap is a sawtooth between collections; what was left after the last collection is the
 * live data, the series a leak shows in. Read from the pools' MXBeans at each scrape, nothing kept.
 *
 * <p>Not OpenTelemetry's runtime-telemetry library: its JMX-only artifact (…-java8) is not served
 * here, and the one that is (opentelemetry-runtime-telemetry 2.31.1-alpha) is configured only
 * through system properties and can run JFR recordings inside every part; four gauges over the
 * memory pools are what the soak and an operator need.
 */
final class JvmMemoryMetrics {
  private static final AttributeKey<String> TYPE = AttributeKey.stringKey("jvm.memory.type");
  private static final AttributeKey<String> POOL = AttributeKey.stringKey("jvm.memory.pool.name");

  private JvmMemoryMetrics() {}

  /** Registers the four gauges on {@code meter}. */
  static void register(Meter meter) {
    List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
    gauge(meter, "jvm.memory.used", "Memory used, by pool", pools, MemoryPoolMXBean::getUsage, MemoryUsage::getUsed);
    gauge(meter, "jvm.memory.committed", "Memory committed, by pool", pools, MemoryPoolMXBean::getUsage,
        MemoryUsage::getCommitted);
    gauge(meter, "jvm.memory.limit", "Maximum memory of a pool, where it has one", pools, MemoryPoolMXBean::getUsage,
        MemoryUsage::getMax);
    gauge(meter, "jvm.memory.used_after_last_gc", "Memory used right after the pool's last collection",
        pools, MemoryPoolMXBean::getCollectionUsage, MemoryUsage::getUsed);
  }

  /**
   * A gauge of {@code value} of each pool's {@code usage}, read at each collection; a pool that
   * is no longer valid, or has no such usage (a pool may have none), is skipped.
   */
  private static void gauge(Meter meter, String name, String description, List<MemoryPoolMXBean> pools,
      Function<MemoryPoolMXBean, MemoryUsage> usage, ToLongFunction<MemoryUsage> value) {
    meter.upDownCounterBuilder(name).setUnit("By").setDescription(description).buildWithCallback(m -> {
      for (MemoryPoolMXBean pool : pools) {
        MemoryUsage u = pool.isValid() ? usage.apply(pool) : null;
        if (u != null) {
          record(m, pool, value.applyAsLong(u));
        }
      }
    });
  }

  /** A value of -1 (undefined, e.g. no maximum) is not reported. */
  private static void record(ObservableLongMeasurement m, MemoryPoolMXBean pool, long value) {
    if (value >= 0) {
      m.record(value, Attributes.of(TYPE, pool.getType() == MemoryType.HEAP ? "heap" : "non_heap",
          POOL, pool.getName()));
    }
  }
}
