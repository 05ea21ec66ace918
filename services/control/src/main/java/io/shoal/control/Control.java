package io.shoal.control;

import io.grpc.ManagedChannel;
import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.telemetry.Telemetry;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The running control service: its gRPC API, and the watcher that completes the scheduler's
 * automatic rollbacks (only control writes a spec).
 */
@Singleton
public final class Control implements AutoCloseable {
  private final ControlConfig config;
  private final Telemetry telemetry;
  private final EtcdStore store;
  private final ManagedChannel registry;
  private final ControlGrpcService api;
  private final RollbackSwapWatcher rollbacks;
  private GrpcServer grpc;

  @Inject
  Control(ControlConfig config, Telemetry telemetry, EtcdStore store,
      @Named("registry") ManagedChannel registry, ControlGrpcService api, RollbackSwapWatcher rollbacks) {
    this.config = config;
    this.telemetry = telemetry;
    this.store = store;
    this.registry = registry;
    this.api = api;
    this.rollbacks = rollbacks;
  }

  public Control start() {
    grpc = GrpcServer.start("control", config.listen(), List.of(api), telemetry);
    rollbacks.start();
    return this;
  }

  /** Stops the watcher, then the gRPC server, and last the clients and telemetry. */
  @Override
  public void close() {
    ServiceMain.closeInOrder("control", rollbacks, grpc, registry::shutdownNow, store, telemetry);
  }
}
