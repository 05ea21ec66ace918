package io.shoal.registry;

import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.store.EtcdStore;
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
  private final RegistryGrpcService api;
  private final ServiceTls tls;
  private GrpcServer grpc;

  @Inject
  Registry(RegistryConfig config, Telemetry telemetry, EtcdStore store, RegistryGrpcService api, ServiceTls tls) {
    this.tls = tls;
    this.config = config;
    this.telemetry = telemetry;
    this.store = store;
    this.api = api;
  }

  public Registry start() {
    grpc = GrpcServer.start("registry", config.listen(), List.of(api), telemetry, tls);
    return this;
  }

  /** Stops the gRPC server, and then the etcd client and telemetry. */
  @Override
  public void close() {
    ServiceMain.closeInOrder("registry", grpc, store, telemetry);
  }
}
