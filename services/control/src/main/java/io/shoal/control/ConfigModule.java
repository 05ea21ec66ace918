package io.shoal.control;

import dagger.Module;
import dagger.Provides;
import io.shoal.common.store.StoreConfig;
import io.shoal.common.telemetry.TelemetryConfig;
import io.shoal.control.network.NetworkConfig;

/** Holds the parsed flags; built in {@link ControlMain} (or by a test) and given to the component. */
@Module
public final class ConfigModule {
  private final ControlConfig config;

  public ConfigModule(ControlConfig config) {
    this.config = config;
  }

  @Provides
  ControlConfig config() {
    return config;
  }

  @Provides
  StoreConfig store() {
    return config.store();
  }

  @Provides
  NetworkConfig networks() {
    return config.networks();
  }

  @Provides
  TelemetryConfig telemetry() {
    return new TelemetryConfig("shoal-control", config.listen().get(0).getHostString(), config.metricsPort());
  }
}
