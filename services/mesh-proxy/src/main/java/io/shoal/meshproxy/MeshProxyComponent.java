package io.shoal.meshproxy;

import dagger.Component;
import io.shoal.common.store.StoreModule;
import io.shoal.common.telemetry.TelemetryModule;
import jakarta.inject.Singleton;

/** Wires one mesh-proxy; its only entry point is the {@link MeshProxy} to start. */
@Singleton
@Component(modules = {ConfigModule.class, MeshProxyModule.class, StoreModule.class, TelemetryModule.class})
public interface MeshProxyComponent {
  MeshProxy meshProxy();
}
