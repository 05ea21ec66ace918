package io.shoal.control;

import io.grpc.ManagedChannel;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.common.pki.Role;
import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.server.tls.ServerAuthorization;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.store.EtcdProbe;
import io.shoal.common.store.MetricsEndpoints;
import io.shoal.common.store.Tables;
import io.shoal.control.metrics.PrometheusTargets;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.RevokedNodes;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.control.ca.CaGrpcService;
import io.shoal.control.ca.ClusterCaManager;
import io.shoal.control.events.EventLog;
import io.shoal.control.web.ClusterPage;
import io.shoal.control.web.PrometheusClient;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The running control service: its gRPC API, the watcher that completes the scheduler's
 * automatic rollbacks, the one that gives newly registered nodes their spec (only control
 * writes a spec), and the sweeper of registry credentials left without their service. It
 * loads (or first creates) the cluster CA before it serves anything.
 */
@Singleton
public final class Control implements AutoCloseable {
  private final ControlConfig config;
  private final Telemetry telemetry;
  private final EtcdStore store;
  private final ManagedChannel registry;
  private final ControlGrpcService api;
  private final RollbackSwapWatcher rollbacks;
  private final NodeSpecCreator nodeSpecs;
  private final OrphanCredentialSweeper credentialSweeper;
  private final ClusterCaManager clusterCa;
  private final CaGrpcService ca;
  private final RevokedNodes revoked;
  private final ServiceTls tls;
  /** Where this control serves /metrics, in etcd while it runs. */
  private AutoCloseable metricsEndpoint;
  private GrpcServer grpc;
  private ClusterPage page;
  private final EventLog events;
  /** Channels to the node agents, for task logs. */
  private final io.shoal.control.logs.AgentChannels agents;
  /** Health NOT_SERVING while etcd does not answer. */
  private EtcdProbe etcdProbe;

  @Inject
  Control(ControlConfig config, Telemetry telemetry, EtcdStore store,
      @Named("registry") ManagedChannel registry, ControlGrpcService api, RollbackSwapWatcher rollbacks,
      NodeSpecCreator nodeSpecs, OrphanCredentialSweeper credentialSweeper, ClusterCaManager clusterCa,
      CaGrpcService ca, ServiceTls tls, EventLog events, io.shoal.control.logs.AgentChannels agents) {
    this.agents = agents;
    this.events = events;
    this.tls = tls;
    this.config = config;
    this.telemetry = telemetry;
    this.store = store;
    this.registry = registry;
    this.api = api;
    this.rollbacks = rollbacks;
    this.nodeSpecs = nodeSpecs;
    this.credentialSweeper = credentialSweeper;
    this.clusterCa = clusterCa;
    this.ca = ca;
    this.revoked = new RevokedNodes(store);
  }

  public Control start() {
    clusterCa.start();
    events.start();
    revoked.start();
    // One port for members and for nodes joining without a certificate: the TLS layer lets
    // those in, and the interceptor lets them make the join and nothing else.
    grpc = GrpcServer.start("control", config.listen(), List.of(api, ca), telemetry, tls,
        tls.serverContextAcceptingJoins(),
        ServerAuthorization.interceptors(tls, CaGrpcService.rules()
            .allow(ControlServiceGrpc.SERVICE_NAME, Role.MANAGER), revoked::contains, telemetry, "shoal-control"));
    etcdProbe = EtcdProbe.start("control", store, EtcdProbe.PERIOD, grpc::serving);
    metricsEndpoint = MetricsEndpoints.registerIfServed(store, Tables.METRICS_CONTROL, telemetry.metricsAddress());
    telemetry.serveJson(PrometheusTargets.MANAGERS_PATH, () -> PrometheusTargets.managers(store));
    telemetry.serveJson(PrometheusTargets.NODES_PATH, () -> PrometheusTargets.nodes(store));
    rollbacks.start();
    nodeSpecs.start();
    credentialSweeper.start();
    config.web().listen().ifPresent(listen -> page = ClusterPage.start(listen, tls.metricsContext(), store, events,
        config.web().prometheus().map(url -> new PrometheusClient(url, java.time.Clock.systemUTC()))));
    return this;
  }

  /** Stops the sweeper and the watchers, then the gRPC server, and last the clients and telemetry. */
  @Override
  public void close() {
    ServiceMain.closeInOrder("control", page, credentialSweeper, nodeSpecs, rollbacks, metricsEndpoint, etcdProbe, events, grpc, agents, revoked, registry::shutdownNow, store,
        telemetry);
  }
}
