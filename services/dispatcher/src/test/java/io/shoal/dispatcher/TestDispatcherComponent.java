package io.shoal.dispatcher;

import dagger.BindsInstance;
import dagger.Component;
import io.shoal.common.pki.ClusterKey;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.StoreConfig;
import io.shoal.common.store.Writer;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The dispatcher's graph from its real modules, sessions included, on a store, metrics and status
 * writer the test made; the test serves the gRPC service itself.
 */
@Singleton
@Component(modules = {ConfigModule.class, DispatcherModule.class})
interface TestDispatcherComponent {
  DispatcherGrpcService grpcService();

  SessionManager sessions();

  @Component.Factory
  interface Factory {
    TestDispatcherComponent create(ConfigModule config, @BindsInstance EtcdStore store,
        @BindsInstance DispatcherMetrics metrics, @BindsInstance TaskStatusWriter statusWriter,
        @BindsInstance Telemetry telemetry);
  }

  /** A dispatcher named "test" (its listen address and etcd are the test's own business). */
  static TestDispatcherComponent create(EtcdStore store, DispatcherMetrics metrics, TaskStatusWriter statusWriter,
      Duration heartbeatPeriod, Duration stallTimeout) {
    return create(store, metrics, statusWriter, heartbeatPeriod, stallTimeout, Optional.empty());
  }

  /** As above, opening secrets with {@code clusterKey}. */
  static TestDispatcherComponent create(EtcdStore store, DispatcherMetrics metrics, TaskStatusWriter statusWriter,
      Duration heartbeatPeriod, Duration stallTimeout, Optional<ClusterKey> clusterKey) {
    DispatcherConfig config = new DispatcherConfig(List.of(new InetSocketAddress("127.0.0.1", 0)), 0,
        new StoreConfig("unused", "/unused/", Writer.DISPATCHER), "test", heartbeatPeriod, stallTimeout, clusterKey);
    return DaggerTestDispatcherComponent.factory()
        .create(new ConfigModule(config), store, metrics, statusWriter, Telemetry.noop());
  }
}
