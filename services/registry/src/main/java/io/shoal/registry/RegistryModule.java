package io.shoal.registry;

import dagger.Module;
import dagger.Provides;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.registry.credentials.CredentialStore;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.slf4j.LoggerFactory;

/** The registry service's parts that are not plain {@code @Inject} classes. */
@Module
public final class RegistryModule {
  private RegistryModule() {}

  @Provides
  @Singleton
  static ManifestResolver manifests(RegistryConfig config, Telemetry telemetry) {
    return new ManifestResolver(config.insecureRegistries(), config.timeout(), telemetry.tracer("shoal-registry"));
  }

  @Provides
  @Singleton
  static ResolutionCache cache(RegistryConfig config) {
    return new ResolutionCache(config.cacheTtl(), config.cacheSize(), Clock.systemUTC());
  }

  @Provides
  @Singleton
  static CredentialStore credentials(RegistryConfig config, EtcdStore store) {
    LoggerFactory.getLogger(RegistryModule.class).info(config.clusterKey().isPresent()
        ? "registry credentials are sealed with cluster key " + config.clusterKey().get().id()
        : "no cluster key: --with-registry-auth will be refused");
    return new CredentialStore(store, config.clusterKey());
  }
}
