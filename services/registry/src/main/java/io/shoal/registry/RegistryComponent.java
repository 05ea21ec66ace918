package io.shoal.registry;

import dagger.Component;
import io.shoal.common.store.StoreModule;
import io.shoal.common.telemetry.TelemetryModule;
import jakarta.inject.Singleton;

/** Wires the registry service; its only entry point is the {@link Registry} to start. */
@Singleton
@Component(modules = {ConfigModule.class, RegistryModule.class, StoreModule.class, TelemetryModule.class})
public interface RegistryComponent {
  Registry registry();
}
