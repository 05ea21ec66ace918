package io.shoal.scheduler;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import io.shoal.common.server.EtcdOptions;
import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.Ids;
import io.shoal.common.server.ServerOptions;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.scheduler.leader.LeaderTerms;
import io.shoal.scheduler.orchestrator.GlobalOrchestrator;
import io.shoal.scheduler.orchestrator.ReplicatedOrchestrator;
import io.shoal.scheduler.orchestrator.RestartSupervisor;
import io.shoal.scheduler.orchestrator.TaskFactory;
import io.shoal.scheduler.orchestrator.TaskReaper;
import io.shoal.scheduler.orchestrator.UpdateSupervisor;
import io.shoal.scheduler.placement.ConstraintFilter;
import io.shoal.scheduler.placement.Filter;
import io.shoal.scheduler.placement.HostPortFilter;
import io.shoal.scheduler.placement.MaxReplicasFilter;
import io.shoal.scheduler.placement.Placer;
import io.shoal.scheduler.placement.ReadyFilter;
import io.shoal.scheduler.placement.ResourceFilter;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The scheduler: owns tasks — which exist (orchestration) and where they run (placement). */
@Command(name = "shoal-scheduler", mixinStandardHelpOptions = true,
    description = "Keeps every service's tasks in etcd in line with its spec and places them on nodes.")
public final class SchedulerMain implements Callable<Integer> {
  @Mixin ServerOptions server = new ServerOptions();
  @Mixin EtcdOptions etcd = new EtcdOptions();

  @Option(names = "--task-history-limit", defaultValue = "5",
      description = "Finished tasks kept per slot (default: ${DEFAULT-VALUE}).")
  int taskHistoryLimit;

  @Option(names = "--leader-ttl", defaultValue = "3s", converter = GoDurationConverter.class,
      description = "How long a dead leader's lease lasts before another scheduler takes over"
          + " (default: ${DEFAULT-VALUE}).")
  java.time.Duration leaderTtl;

  @Option(names = "--instance-id",
      description = "This scheduler's name in the election (default: its listen address and pid).")
  String instanceId;

  /** Go-style durations (3s, 500ms) for the flags. */
  static final class GoDurationConverter implements CommandLine.ITypeConverter<java.time.Duration> {
    @Override
    public java.time.Duration convert(String value) {
      return io.shoal.common.server.GoDuration.parse(value);
    }
  }

  @Module
  static final class SchedulerModule {
    @Provides
    @Singleton
    static EtcdStore store(SchedulerMain flags) {
      return EtcdStore.connect(flags.etcd.endpoints, flags.etcd.prefix);
    }

    @Provides
    @Singleton
    static Reconciler reconciler(SchedulerMain flags) {
      return newReconciler(Clock.systemUTC(), flags.taskHistoryLimit);
    }
  }

  /** The reconciler with its plugins in order; tests build it with their own clock. */
  public static Reconciler newReconciler(Clock clock, int historyLimit) {
    TaskFactory factory = new TaskFactory(clock, Ids::newId);
    // SwarmKit's order: cheap and common checks first; the pipeline counts failures per filter.
    List<Filter> filters = List.of(new ReadyFilter(), new ResourceFilter(), new ConstraintFilter(),
        new HostPortFilter(), new MaxReplicasFilter());
    RestartSupervisor restarts = new RestartSupervisor(clock);
    UpdateSupervisor updates = new UpdateSupervisor(clock);
    return new Reconciler(new ReplicatedOrchestrator(factory, restarts, updates),
        new GlobalOrchestrator(factory, restarts, updates),
        new TaskReaper(historyLimit), new Placer(filters, factory::now));
  }

  @Singleton
  @Component(modules = SchedulerModule.class)
  interface SchedulerComponent {
    /** A new loop on every call: one per leadership term. */
    SchedulerLoop loop();

    EtcdStore store();

    Reconciler reconciler();

    @Component.Factory
    interface Factory {
      SchedulerComponent create(@BindsInstance SchedulerMain flags);
    }
  }

  @Override
  public Integer call() throws Exception {
    var addresses = server.listenAddresses("127.0.0.1:7402");
    var address = addresses.get(0);
    Telemetry telemetry = Telemetry.start("shoal-scheduler", address.getHostString(),
        server.metricsPort == null ? 9402 : server.metricsPort);
    SchedulerComponent c = DaggerSchedulerMain_SchedulerComponent.factory().create(this);
    GrpcServer grpc = GrpcServer.start("scheduler", addresses, List.of(), telemetry);
    telemetry.meter("shoal-scheduler").gaugeBuilder("shoal.scheduler.services.unreconciled").ofLongs()
        .setDescription("Services the last pass could not reconcile (each has a reconcile_error)")
        .buildWithCallback(m -> m.record(c.reconciler().unreconciled()));
    String id = (instanceId != null ? instanceId : address.getHostString() + ":" + address.getPort())
        + "/" + ProcessHandle.current().pid();
    // A leader that loses its lease steps down and campaigns again; each term runs a fresh loop.
    LeaderTerms leadership = new LeaderTerms(c.store(), id, leaderTtl, guard -> {
      SchedulerLoop loop = c.loop();
      try {
        loop.start(guard);
      } catch (RuntimeException e) {
        loop.close();
        throw e;
      }
      return loop;
    }).start();
    ServiceMain.runUntilStopped("scheduler", telemetry, c.store(), grpc, leadership);
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SchedulerMain()).execute(args));
  }
}
