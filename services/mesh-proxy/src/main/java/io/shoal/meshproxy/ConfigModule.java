package io.shoal.meshproxy;

import dagger.Module;
import dagger.Provides;

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
}
