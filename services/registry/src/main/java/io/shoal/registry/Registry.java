package io.shoal.registry;

import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.registry.credentials.OrphanCredentialSweeper;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The running registry service: its gRPC API, and the sweeper of registry credentials left
 * without their service.
 */
@Singleton
public final class Registry implements AutoCloseable {
  private final RegistryConfig config;
  private final Telemetry telemetry;
  private final EtcdStore store;
  private final RegistryGrpcService api;
  private final OrphanCredentialSweeper sweeper;
  private GrpcServer grpc;

  @Inject
  Registry(RegistryConfig config, Telemetry telemetry, EtcdStore store, RegistryGrpcService api,
      OrphanCredentialSweeper sweeper) {
    this.config = config;
    this.telemetry = telemetry;
    this.store = store;
    this.api = api;
    this.sweeper = sweeper;
  }

  public Registry start() {
    grpc = GrpcServer.start("registry", config.listen(), List.of(api), telemetry);
    sweeper.start();
    return this;
  }

  /** Stops the gRPC server, then the sweeper, and last the etcd client and telemetry. */
  @Override
  public void close() {
    ServiceMain.closeInOrder("registry", grpc, sweeper, store, telemetry);
  }
}
