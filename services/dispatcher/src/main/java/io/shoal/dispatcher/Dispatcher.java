package io.shoal.dispatcher;

import io.shoal.api.v1.DispatcherServiceGrpc;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.authz.CallPolicy;
import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.store.EtcdProbe;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.MetricsEndpoints;
import io.shoal.common.store.Tables;
import io.shoal.common.telemetry.Telemetry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The running dispatcher: the watch that keeps sessions told, and the gRPC server of agents'
 * sessions.
 */
@Singleton
public final class Dispatcher implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Dispatcher.class);

  private final DispatcherConfig config;
  private final Telemetry telemetry;
  private final EtcdStore store;
  private final SessionManager sessions;
  private final TaskStatusWriter statusWriter;
  private final DispatcherGrpcService api;
  private final ServiceTls tls;
  private GrpcServer grpc;
  /** Health NOT_SERVING while etcd does not answer. */
  private EtcdProbe etcdProbe;
  /** Where it serves /metrics, in etcd while it runs. */
  private AutoCloseable metricsEndpoint;

  @Inject
  Dispatcher(DispatcherConfig config, Telemetry telemetry, EtcdStore store, SessionManager sessions,
      TaskStatusWriter statusWriter, DispatcherGrpcService api, ServiceTls tls) {
    this.tls = tls;
    this.config = config;
    this.telemetry = telemetry;
    this.store = store;
    this.sessions = sessions;
    this.statusWriter = statusWriter;
    this.api = api;
  }

  public Dispatcher start() {
    if (config.clusterKey().isEmpty()) {
      log.warn("no cluster key (--cluster-key-file, SHOAL_CLUSTER_KEY_FILE or SHOAL_CLUSTER_KEY): secrets cannot be"
          + " opened for nodes, so tasks that use one are REJECTED on their nodes saying so; configs still go");
    }
    sessions.start();
    telemetry.meter("io.shoal.dispatcher").gaugeBuilder("shoal.dispatcher.sessions").ofLongs().setUnit("{session}")
        .setDescription("Agents' sessions open at this dispatcher")
        .buildWithCallback(m -> m.record(sessions.open()));
    // Workers open sessions (for their own node only: AgentSession checks the certificate's id);
    // removed nodes are known from the session manager's own watch.
    grpc = GrpcServer.start("dispatcher", config.listen(), List.of(api), telemetry, tls, CallPolicy.builder()
        .allow(DispatcherServiceGrpc.SERVICE_NAME, Role.WORKER, Role.MANAGER), sessions::revoked);
    etcdProbe = EtcdProbe.start("dispatcher", store, EtcdProbe.PERIOD, grpc::serving);
    metricsEndpoint = MetricsEndpoints.registerIfServed(store, Tables.METRICS_DISPATCHER, telemetry.metricsAddress());
    return this;
  }

  /**
   * Stops taking sessions first, then ends the open ones, writes the reports taken, and last
   * closes the etcd client and telemetry.
   */
  @Override
  public void close() {
    ServiceMain.closeInOrder("dispatcher", metricsEndpoint, etcdProbe, grpc, sessions, statusWriter, store, telemetry);
  }
}
