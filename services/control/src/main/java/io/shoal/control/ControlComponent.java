package io.shoal.control;

import dagger.Component;
import io.shoal.common.store.StoreModule;
import io.shoal.common.telemetry.TelemetryModule;
import jakarta.inject.Singleton;

/** Wires the control service; its only entry point is the {@link Control} to start. */
@Singleton
@Component(modules = {ConfigModule.class, ControlModule.class, StoreModule.class, TelemetryModule.class})
public interface ControlComponent {
  Control control();
}
