package io.shoal.scheduler;

import dagger.Module;
import dagger.Provides;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.store.StoreConfig;
import io.shoal.common.telemetry.TelemetryConfig;
import io.shoal.common.tracing.TraceSettings;

/** Holds the parsed flags; built in {@link SchedulerMain} (or by a test) and given to the component. */
@Module
public final class ConfigModule {
  private final SchedulerConfig config;
  private final ServiceTls tls;
  private final TraceSettings traces;

  /** Plaintext gRPC (tests). */
  public ConfigModule(SchedulerConfig config) {
    this(config, ServiceTls.insecure());
  }

  public ConfigModule(SchedulerConfig config, ServiceTls tls) {
    this(config, tls, TraceSettings.OFF);
  }

  /** As above, with spans sent as {@code traces} says (--trace-endpoint, --trace-sampling). */
  public ConfigModule(SchedulerConfig config, ServiceTls tls, TraceSettings traces) {
    this.config = config;
    this.tls = tls;
    this.traces = traces;
  }

  @Provides
  ServiceTls tls() {
    return tls;
  }

  @Provides
  SchedulerConfig config() {
    return config;
  }

  @Provides
  StoreConfig store() {
    return config.store();
  }

  @Provides
  TelemetryConfig telemetry() {
    return new TelemetryConfig("shoal-scheduler", config.listen().get(0).getHostString(), config.metricsPort(), traces);
  }
}
