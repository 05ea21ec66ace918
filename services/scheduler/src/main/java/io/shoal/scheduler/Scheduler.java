package io.shoal.scheduler;

import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.store.EtcdProbe;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.MetricsEndpoints;
import io.shoal.common.store.Tables;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.scheduler.leader.LeaderTerms;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The running scheduler: campaigns for leadership and, in each term it leads, runs a fresh
 * {@link SchedulerLoop}; serves gRPC health meanwhile.
 */
@Singleton
public final class Scheduler implements AutoCloseable {
  private final SchedulerConfig config;
  private final Telemetry telemetry;
  private final EtcdStore store;
  private final Reconciler reconciler;
  private final Provider<SchedulerLoop> loops;
  private final ServiceTls tls;
  /**
   * A health entry SERVING only while this scheduler leads: `grpc_health_probe -service
   * shoal.scheduler.Leader` finds the leader; a standby is healthy ("") but not the leader.
   */
  public static final String LEADER_HEALTH = "shoal.scheduler.Leader";

  private GrpcServer grpc;
  /** Health NOT_SERVING while etcd does not answer. */
  private EtcdProbe etcdProbe;
  private LeaderTerms leadership;
  /** Where it serves /metrics, in etcd while it runs. */
  private AutoCloseable metricsEndpoint;

  @Inject
  Scheduler(SchedulerConfig config, Telemetry telemetry, EtcdStore store, Reconciler reconciler,
      Provider<SchedulerLoop> loops, ServiceTls tls) {
    this.tls = tls;
    this.config = config;
    this.telemetry = telemetry;
    this.store = store;
    this.reconciler = reconciler;
    this.loops = loops;
  }

  public Scheduler start() {
    grpc = GrpcServer.start("scheduler", config.listen(), List.of(), telemetry, tls);
    grpc.status(LEADER_HEALTH, false);
    etcdProbe = EtcdProbe.start("scheduler", store, EtcdProbe.PERIOD, grpc::serving);
    metricsEndpoint = MetricsEndpoints.registerIfServed(store, Tables.METRICS_SCHEDULER, telemetry.metricsAddress());
    telemetry.meter("shoal-scheduler").gaugeBuilder("shoal.scheduler.services.unreconciled").ofLongs()
        .setDescription("Services the last pass could not reconcile (each has a reconcile_error)")
        .buildWithCallback(m -> m.record(reconciler.unreconciled()));
    // A leader that loses its lease steps down and campaigns again; each term runs a fresh loop.
    leadership = new LeaderTerms(store, config.instanceId(), config.leaderTtl(), guard -> {
      SchedulerLoop loop = loops.get();
      try {
        loop.start(guard);
      } catch (RuntimeException e) {
        loop.close();
        throw e;
      }
      grpc.status(LEADER_HEALTH, true);
      return () -> {
        grpc.status(LEADER_HEALTH, false);
        loop.close();
      };
    }).start();
    return this;
  }

  /** Steps down first, then stops serving health, and last closes the etcd client and telemetry. */
  @Override
  public void close() {
    ServiceMain.closeInOrder("scheduler", leadership, metricsEndpoint, etcdProbe, grpc, store, telemetry);
  }
}
