package io.shoal.meshproxy;

import dagger.Module;
import dagger.Provides;
import io.shoal.common.store.StoreConfig;
import io.shoal.common.telemetry.TelemetryConfig;

/** Holds the parsed flags; built in {@link MeshProxyMain} (or by a test) and given to the component. */
@Module
public final class ConfigModule {
  private final MeshProxyConfig config;

  public ConfigModule(MeshProxyConfig config) {
    this.config = config;
  }

  @Provides
  MeshProxyConfig config() {
    return config;
  }

  @Provides
  StoreConfig store() {
    return new StoreConfig(config.etcdEndpoints(), config.etcdPrefix());
  }

  @Provides
  TelemetryConfig telemetry() {
    return new TelemetryConfig("mesh-proxy", config.address().getHostAddress(), config.metricsPort());
  }
}
