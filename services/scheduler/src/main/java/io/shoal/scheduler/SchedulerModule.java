package io.shoal.scheduler;

import dagger.Module;
import dagger.Provides;
import io.shoal.common.ids.Ids;
import io.shoal.scheduler.network.AddressAllocator;
import io.shoal.scheduler.orchestrator.GlobalOrchestrator;
import io.shoal.scheduler.orchestrator.ReplicatedOrchestrator;
import io.shoal.scheduler.orchestrator.RestartSupervisor;
import io.shoal.scheduler.orchestrator.TaskFactory;
import io.shoal.scheduler.orchestrator.TaskReaper;
import io.shoal.scheduler.orchestrator.UpdateSupervisor;
import io.shoal.scheduler.placement.Filter;
import io.shoal.scheduler.placement.PlacementPlugins;
import io.shoal.scheduler.placement.Placer;
import io.shoal.scheduler.placement.Preference;
import jakarta.inject.Singleton;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.scheduler.metrics.ClusterMetrics;
import java.time.Clock;
import java.util.List;

/**
 * The reconciler and its parts: one of each for the process, shared by every leadership term;
 * the placement plugins in their order, but those the flags turn off.
 */
@Module
public final class SchedulerModule {
  private SchedulerModule() {}

  @Provides
  static Clock clock() {
    return Clock.systemUTC();
  }

  @Provides
  static List<Filter> filters(SchedulerConfig config) {
    return PlacementPlugins.filters(config.disabledFilters());
  }

  @Provides
  static List<Preference> preferences(SchedulerConfig config) {
    return PlacementPlugins.preferences(config.disabledPreferences());
  }

  @Provides
  @Singleton
  static TaskFactory taskFactory(Clock clock) {
    return new TaskFactory(clock, Ids::newId);
  }

  /** Shared by both orchestrators, as the restart history of a task is. */
  @Provides
  @Singleton
  static RestartSupervisor restarts(Clock clock) {
    return new RestartSupervisor(clock);
  }

  @Provides
  @Singleton
  static UpdateSupervisor updates(Clock clock) {
    return new UpdateSupervisor(clock);
  }

  @Provides
  static ReplicatedOrchestrator replicated(TaskFactory factory, RestartSupervisor restarts, UpdateSupervisor updates) {
    return new ReplicatedOrchestrator(factory, restarts, updates);
  }

  @Provides
  static GlobalOrchestrator global(TaskFactory factory, RestartSupervisor restarts, UpdateSupervisor updates) {
    return new GlobalOrchestrator(factory, restarts, updates);
  }

  @Provides
  static TaskReaper reaper(SchedulerConfig config) {
    return new TaskReaper(config.taskHistoryLimit());
  }

  @Provides
  static Placer placer(List<Filter> filters, List<Preference> preferences, TaskFactory factory) {
    return new Placer(filters, preferences, factory::now);
  }

  @Provides
  @Singleton
  static ClusterMetrics clusterMetrics(Telemetry telemetry) {
    return new ClusterMetrics(telemetry);
  }

  @Provides
  @Singleton
  static Reconciler reconciler(ReplicatedOrchestrator replicated, GlobalOrchestrator global, TaskReaper reaper,
      Placer placer, TaskFactory factory, Telemetry telemetry, Clock clock) {
    return new Reconciler(replicated, global, reaper, placer, new AddressAllocator(factory::now),
        new ScheduleTraces(telemetry.tracer("shoal-scheduler"), clock));
  }
}
