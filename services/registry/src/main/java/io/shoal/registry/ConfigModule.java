package io.shoal.registry;

import dagger.Module;
import dagger.Provides;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.store.StoreConfig;
import io.shoal.common.telemetry.TelemetryConfig;

/** Holds the parsed flags; built in {@link RegistryMain} (or by a test) and given to the component. */
@Module
public final class ConfigModule {
  private final RegistryConfig config;
  private final ServiceTls tls;

  /** Plaintext gRPC (tests). */
  public ConfigModule(RegistryConfig config) {
    this(config, ServiceTls.insecure());
  }

  public ConfigModule(RegistryConfig config, ServiceTls tls) {
    this.config = config;
    this.tls = tls;
  }

  @Provides
  ServiceTls tls() {
    return tls;
  }

  @Provides
  RegistryConfig config() {
    return config;
  }

  @Provides
  StoreConfig store() {
    return config.store();
  }

  @Provides
  TelemetryConfig telemetry() {
    return new TelemetryConfig("shoal-registry", config.listen().get(0).getHostString(), config.metricsPort());
  }
}
