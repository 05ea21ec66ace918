package io.shoal.control;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.common.store.EtcdStore;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import io.shoal.testing.InProcessGrpcExtension;
import java.time.Clock;

/**
 * Control's gRPC service on a real etcd (a root of its own), served by the test's
 * {@link InProcessGrpcExtension}, which shuts it down; {@link #close} closes the store.
 */
final class InProcessControl implements AutoCloseable {
  final EtcdStore store;
  final ControlServiceGrpc.ControlServiceBlockingStub stub;

  /** With no registry service: every call is expected to pass no_resolve_image. */
  InProcessControl(EtcdTestCluster etcd, InProcessGrpcExtension grpc) {
    this(etcd, grpc, grpc.unservedChannel());
  }

  /** Pinning images through {@code registry}. */
  InProcessControl(EtcdTestCluster etcd, InProcessGrpcExtension grpc, BindableService registry) {
    this(etcd, grpc, grpc.serve(registry));
  }

  private InProcessControl(EtcdTestCluster etcd, InProcessGrpcExtension grpc, ManagedChannel registry) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    ServiceManager manager = new ServiceManager(store, new ImagePinner(registry), Clock.systemUTC());
    stub = ControlServiceGrpc.newBlockingStub(grpc.serve(new ControlGrpcService(manager)));
  }

  @Override
  public void close() {
    store.close();
  }
}
