package io.shoal.control;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.common.store.EtcdStore;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;

/**
 * Control's gRPC service on a real etcd (a root of its own), called in-process. Every call is
 * expected to pass no_resolve_image: the registry service is left unreachable (unchecked).
 */
final class InProcessControl implements AutoCloseable {
  final EtcdStore store;
  final ControlServiceGrpc.ControlServiceBlockingStub stub;
  final ServiceWatches watches;
  final ManagedChannel channel;
  private final Server server;

  InProcessControl(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    String name = InProcessServerBuilder.generateName();
    ManagedChannel unusedRegistry = InProcessChannelBuilder.forName(name + "-registry").directExecutor().build();
    ServiceManager manager = new ServiceManager(store, new ImagePinner(unusedRegistry), Clock.systemUTC());
    watches = new ServiceWatches(store, new ServiceQueries(store));
    try {
      server = InProcessServerBuilder.forName(name).directExecutor()
          .addService(new ControlGrpcService(manager, new NodeManager(store), watches)).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = ControlServiceGrpc.newBlockingStub(channel);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    store.close();
  }
}
