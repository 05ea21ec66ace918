package io.shoal.meshproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.v1.PortBinding;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Txn;
import io.shoal.meshproxy.routes.PortKey;
import io.shoal.meshproxy.routes.Route;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole proxy on a real etcd (a root of its own per test) and loopback, for the mesh ITs:
 * services and tasks are written as control and the dispatcher would; after each test the proxy,
 * whatever was handed to {@link #closing} and the store are closed. Register it on an instance
 * field: {@code @RegisterExtension final MeshFixture mesh = new MeshFixture();}
 */
final class MeshFixture implements BeforeEachCallback, AfterEachCallback {
  static final String ADDR = "127.0.0.1";
  static final Duration WAIT = Duration.ofSeconds(15);

  private EtcdTestCluster etcd;
  private String root;
  private EtcdStore store;
  private MeshProxy proxy;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @Override
  public void beforeEach(ExtensionContext context) {
    etcd = EtcdExtension.cluster();
    root = etcd.newRoot();
    store = EtcdStore.connect(etcd.endpoints(), root);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
    store.close();
  }

  EtcdStore store() {
    return store;
  }

  /** The proxy {@link #start} started. */
  MeshProxy proxy() {
    return proxy;
  }

  /** The proxy's config for this test: on ADDR, any gRPC port, metrics on {@code metricsPort} (0: off). */
  MeshProxyConfig config(int metricsPort) throws UnknownHostException {
    return new MeshProxyConfig(InetAddress.getByName(ADDR), etcd.endpoints(), root,
        new InetSocketAddress(ADDR, 0), metricsPort, Duration.ofSeconds(2));
  }

  MeshProxy start(MeshProxyConfig config) {
    proxy = DaggerMeshProxyComponent.builder().configModule(new ConfigModule(config)).build()
        .meshProxy().start();
    return proxy;
  }

  /** {@code closeable}, closed after the test. */
  <T extends AutoCloseable> T closing(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  static PortBinding binding(Protocol protocol, int target, String ip, int hostPort) {
    return PortBinding.newBuilder().setProtocol(protocol).setTargetPort(target).setHostIp(ip)
        .setHostPort(hostPort).setPublishMode(PublishMode.PUBLISH_MODE_INGRESS).build();
  }

  static Task task(String id, String serviceId, int slot, PortBinding... bindings) {
    return Task.newBuilder().setId(id).setServiceId(serviceId).setSlot(slot)
        .setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_RUNNING)
            .addAllPorts(List.of(bindings)))
        .build();
  }

  /** The service and one RUNNING task per binding, named {@code serviceId-1}, {@code serviceId-2}, … */
  void create(Service service, PortBinding... perTask) {
    Txn txn = store.txn().create(Tables.SERVICES, service.getId(), service);
    for (int i = 0; i < perTask.length; i++) {
      String taskId = service.getId() + "-" + (i + 1);
      txn.create(Tables.TASKS, taskId, task(taskId, service.getId(), i + 1, perTask[i]));
    }
    txn.commit();
  }

  /** As the scheduler asks a task to stop (or run again). */
  void setDesiredState(String taskId, TaskState desired) {
    Task task = store.get(Tables.TASKS, taskId).orElseThrow();
    store.txn().update(Tables.TASKS, taskId, task.toBuilder().setDesiredState(desired).build(),
        task.getVersion()).commit();
  }

  /** Waits until {@code key} is listened on and routes to {@code count} backends. */
  void awaitBackends(PortKey key, int count) {
    await().atMost(WAIT).untilAsserted(() -> {
      Route route = proxy.routes().current().route(key);
      assertThat(route).isNotNull();
      assertThat(route.backends()).hasSize(count);
      assertThat(proxy.listeners().openPorts()).contains(key);
    });
  }
}
