package io.shoal.dispatcher;

import dagger.Component;
import io.shoal.common.store.StoreModule;
import io.shoal.common.telemetry.TelemetryModule;
import jakarta.inject.Singleton;

/**
 * Wires the dispatcher; its only entry point is the {@link Dispatcher} to start. Each agent's
 * session is built in a {@link SessionComponent} of its own.
 */
@Singleton
@Component(modules = {ConfigModule.class, DispatcherModule.class, StoreModule.class, TelemetryModule.class})
public interface DispatcherComponent {
  Dispatcher dispatcher();
}
