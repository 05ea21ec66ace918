package io.shoal.control;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.common.pki.ClusterKey;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Writer;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import io.shoal.testing.InProcessGrpcExtension;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Control's gRPC service on a real etcd (a root of its own), served by an
 * {@link InProcessGrpcExtension}. It is up once made, so the fields after it can read it, and
 * everything is closed after each test:
 *
 * <pre>{@code
 * @RegisterExtension final InProcessControl cluster = new InProcessControl();
 * private final EtcdStore store = cluster.store;
 * private final ControlServiceGrpc.ControlServiceBlockingStub control = cluster.stub;
 * }</pre>
 */
final class InProcessControl implements AfterEachCallback {
  private final InProcessGrpcExtension grpc = new InProcessGrpcExtension();
  final EtcdStore store;
  final ControlServiceGrpc.ControlServiceBlockingStub stub;
  final ServiceWatches watches;
  /** Control's events, watching etcd from the start. */
  final io.shoal.control.events.EventLog events;
  /** The channel to control, for stubs of its own. */
  final ManagedChannel channel;
  /** The channel to the registry service control pins images through. */
  final ManagedChannel registry;
  /** The key control seals secrets under. */
  final ClusterKey clusterKey = ClusterKey.generate();

  /** With no registry service: every call is expected to pass no_resolve_image. */
  InProcessControl() {
    this(Optional.empty());
  }

  /** Pinning images through {@code registry}. */
  InProcessControl(BindableService registry) {
    this(Optional.of(registry));
  }

  private InProcessControl(Optional<BindableService> registryService) {
    EtcdTestCluster etcd = EtcdExtension.cluster();
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    registry = registryService.map(grpc::serve).orElseGet(grpc::unservedChannel);
    // Control writes through its own handle; tests write what other parts would with the other.
    EtcdStore own = store.writingAs(Writer.CONTROL);
    ServiceManager manager = new ServiceManager(own, new ImagePinner(registry), Clock.systemUTC());
    watches = new ServiceWatches(own, new ServiceQueries(own));
    events = new io.shoal.control.events.EventLog(own, Clock.systemUTC()).start();
    channel = grpc.serve(new ControlGrpcService(manager, new NodeManager(own), watches, clusterKey,
        new io.shoal.control.ca.ClusterCaManager(own, Optional.empty(), Clock.systemUTC()), events));
    stub = ControlServiceGrpc.newBlockingStub(channel);
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    grpc.afterEach(context);
    events.close();
    store.close();
  }
}
