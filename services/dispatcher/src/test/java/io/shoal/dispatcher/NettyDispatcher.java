package io.shoal.dispatcher;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.server.GrpcServer;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A dispatcher as production wires it (common's GrpcServer on a loopback TCP port, the watch
 * cache, the status writer) on a real etcd, with a status queue of the given capacity, and
 * channels to it set up as the agent's. For tests that need real transport: message size
 * limits, flow control.
 */
final class NettyDispatcher implements AutoCloseable {
  static final Duration HEARTBEAT = Duration.ofSeconds(1);

  final EtcdStore store;
  final DispatcherMetrics metrics = DispatcherMetrics.noop();
  final SessionManager sessions;
  final TaskStatusWriter writer;
  private final GrpcServer server;
  private final List<ManagedChannel> channels = new ArrayList<>();

  NettyDispatcher(EtcdTestCluster etcd, int queueCapacity, Duration stallTimeout) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    writer = new TaskStatusWriter(store, metrics, queueCapacity);
    TestDispatcherComponent graph = TestDispatcherComponent.create(store, metrics, writer, HEARTBEAT, stallTimeout);
    sessions = graph.sessions();
    sessions.start();
    server = GrpcServer.start("dispatcher", new InetSocketAddress("127.0.0.1", 0), List.of(graph.grpcService()),
        Telemetry.noop());
  }

  NettyDispatcher(EtcdTestCluster etcd) {
    this(etcd, TaskStatusWriter.CAPACITY, AgentSession.STALL_TIMEOUT);
  }

  /**
   * A new connection, with no limits but gRPC's defaults (the agent sets them on its stub), and
   * a fixed 1 MiB flow-control window: gRPC would otherwise grow it (BDP) up to 8 MiB, which
   * hides how much an agent that reads nothing leaves the dispatcher holding.
   */
  ManagedChannel channel() {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
        .flowControlWindow(1 << 20).build();
    channels.add(channel);
    return channel;
  }

  Task createTask(String id, String nodeId) {
    return createTask(Task.newBuilder().setId(id).setServiceId("svc").setSlot(1).setNodeId(nodeId)
        .setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_ASSIGNED)).build());
  }

  Task createTask(Task task) {
    store.txn().create(Tables.TASKS, task.getId(), task).commit();
    return task;
  }

  TaskState state(String taskId) {
    return store.get(Tables.TASKS, taskId).orElseThrow().getStatus().getState();
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    server.close();
    sessions.close();
    writer.close();
    store.close();
  }
}
