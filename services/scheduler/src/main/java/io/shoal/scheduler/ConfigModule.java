package io.shoal.scheduler;

import dagger.Module;
import dagger.Provides;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.store.StoreConfig;
import io.shoal.common.telemetry.TelemetryConfig;

/** Holds the parsed flags; built in {@link SchedulerMain} (or by a test) and given to the component. */
@Module
public final class ConfigModule {
  private final SchedulerConfig config;
  private final ServiceTls tls;

  /** Plaintext gRPC (tests). */
  public ConfigModule(SchedulerConfig config) {
    this(config, ServiceTls.insecure());
  }

  public ConfigModule(SchedulerConfig config, ServiceTls tls) {
    this.config = config;
    this.tls = tls;
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
    return new TelemetryConfig("shoal-scheduler", config.listen().get(0).getHostString(), config.metricsPort());
  }
}
