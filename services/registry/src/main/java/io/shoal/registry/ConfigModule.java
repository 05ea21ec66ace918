package io.shoal.registry;

import dagger.Module;
import dagger.Provides;
import io.shoal.common.store.StoreConfig;
import io.shoal.common.telemetry.TelemetryConfig;

/** Holds the parsed flags; built in {@link RegistryMain} (or by a test) and given to the component. */
@Module
public final class ConfigModule {
  private final RegistryConfig config;

  public ConfigModule(RegistryConfig config) {
    this.config = config;
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
