package io.shoal.common.store;

import dagger.Module;
import dagger.Provides;
import jakarta.inject.Singleton;

/**
 * The store in a service's graph: one etcd client per process, at the endpoints and key root of
 * the {@link StoreConfig} the service's config module provides. The service's entry point closes
 * it.
 */
@Module
public final class StoreModule {
  private StoreModule() {}

  @Provides
  @Singleton
  static EtcdStore store(StoreConfig config) {
    return EtcdStore.connect(config.endpoints(), config.prefix());
  }
}
