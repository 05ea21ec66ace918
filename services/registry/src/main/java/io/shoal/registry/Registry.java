package io.shoal.registry;

import io.shoal.api.v1.RegistryServiceGrpc;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.authz.CallPolicy;
import io.shoal.common.server.GrpcServer;
import io.shoal.common.store.RevokedNodes;
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

/** The running registry service: its gRPC API. */
@Singleton
public final class Registry implements AutoCloseable {
  private final RegistryConfig config;
  private final Telemetry telemetry;
  private final EtcdStore store;
  /** Where it serves /metrics, in etcd while it runs. */
  private AutoCloseable metricsEndpoint;
  private final RegistryGrpcService api;
  private final ServiceTls tls;
  private final RevokedNodes revoked;
  private GrpcServer grpc;
  /** Health NOT_SERVING while etcd does not answer. */
  private EtcdProbe etcdProbe;

  @Inject
  Registry(RegistryConfig config, Telemetry telemetry, EtcdStore store, RegistryGrpcService api, ServiceTls tls) {
    this.tls = tls;
    this.config = config;
    this.telemetry = telemetry;
    this.store = store;
    this.api = api;
    this.revoked = new RevokedNodes(store);
  }

  public Registry start() {
    revoked.start();
    // Agents fetch pull logins (for their own node's tasks only: the service checks); the rest
    // (resolving tags, sealing logins) is control's.
    grpc = GrpcServer.start("registry", config.listen(), List.of(api), telemetry, tls, CallPolicy.builder()
        .allow(RegistryServiceGrpc.SERVICE_NAME, Role.MANAGER)
        .allow(RegistryServiceGrpc.getGetPullCredentialsMethod().getFullMethodName(), Role.WORKER, Role.MANAGER),
        revoked::contains);
    etcdProbe = EtcdProbe.start("registry", store, EtcdProbe.PERIOD, grpc::serving);
    metricsEndpoint = MetricsEndpoints.registerIfServed(store, Tables.METRICS_REGISTRY, telemetry.metricsAddress());
    return this;
  }

  /** Stops the gRPC server, and then the etcd client and telemetry. */
  @Override
  public void close() {
    ServiceMain.closeInOrder("registry", metricsEndpoint, etcdProbe, grpc, revoked, store, telemetry);
  }
}
