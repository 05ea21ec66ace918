package io.shoal.dispatcher;

import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.store.EtcdStore;
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
  private final DispatcherConfig config;
  private final Telemetry telemetry;
  private final EtcdStore store;
  private final SessionManager sessions;
  private final TaskStatusWriter statusWriter;
  private final DispatcherGrpcService api;
  private final ServiceTls tls;
  private GrpcServer grpc;

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
    sessions.start();
    grpc = GrpcServer.start("dispatcher", config.listen(), List.of(api), telemetry, tls);
    return this;
  }

  /**
   * Stops taking sessions first, then ends the open ones, writes the reports taken, and last
   * closes the etcd client and telemetry.
   */
  @Override
  public void close() {
    ServiceMain.closeInOrder("dispatcher", grpc, sessions, statusWriter, store, telemetry);
  }
}
