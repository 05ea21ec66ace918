package io.shoal.common.store;

import dagger.Module;
import dagger.Provides;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.inject.Singleton;

/**
 * The store in a service's graph: one etcd client per process, at the endpoints and key root of
 * the {@link StoreConfig} the service's config module provides, writing only the keys of its
 * {@link Writer}, its counters exported through the graph's {@link OpenTelemetry}
 * (TelemetryModule provides it). The service's entry point closes it.
 */
@Module
public final class StoreModule {
  private StoreModule() {}

  @Provides
  @Singleton
  static EtcdStore store(StoreConfig config, OpenTelemetry openTelemetry) {
    StoreMetrics.export(openTelemetry);
    return EtcdStore.connect(config.endpoints(), config.prefix(), config.certDir()).writingAs(config.writer())
        .tracedBy(openTelemetry.getTracer("shoal-store"));
  }
}
