package io.shoal.scheduler;

import dagger.Component;
import io.shoal.common.store.StoreModule;
import io.shoal.common.telemetry.TelemetryModule;
import jakarta.inject.Singleton;

/** Wires the scheduler; its only entry point is the {@link Scheduler} to start. */
@Singleton
@Component(modules = {ConfigModule.class, SchedulerModule.class, StoreModule.class, TelemetryModule.class})
public interface SchedulerComponent {
  Scheduler scheduler();
}
