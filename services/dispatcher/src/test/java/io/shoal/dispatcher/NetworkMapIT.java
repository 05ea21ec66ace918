package io.shoal.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.shoal.api.v1.Endpoint;
import io.shoal.api.v1.EndpointVirtualIp;
import io.shoal.api.v1.IpamConfig;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.NetworkAttachment;
import io.shoal.api.v1.NetworkAttachmentConfig;
import io.shoal.api.v1.NetworkMap;
import io.shoal.api.v1.NetworkPeer;
import io.shoal.api.v1.NetworkSpec;
import io.shoal.api.v1.NetworkView;
import io.shoal.api.v1.ServiceEndpoint;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.SessionResponse;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes' sessions on a real etcd, the test playing control and the scheduler: each node is
 * told its networks before the tasks that use them, and told again only when its map changes.
 */
@ExtendWith(EtcdExtension.class)
class NetworkMapIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String NET = "net1";

  private final DispatcherMetrics metrics = DispatcherMetrics.noop();
  private EtcdStore store;
  private SessionManager sessions;
  private Server server;
  private ManagedChannel channel;
  private final List<TestAgent> agents = new ArrayList<>();
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start(EtcdTestCluster etcd) throws Exception {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    EtcdStore own = store.writingAs(Writer.DISPATCHER);
    TestDispatcherComponent graph = TestDispatcherComponent.create(own, metrics,
        new TaskStatusWriter(own), Duration.ofSeconds(1), AgentSession.STALL_TIMEOUT);
    sessions = graph.sessions();
    sessions.start();
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(graph.grpcService()).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    heartbeats.scheduleAtFixedRate(() -> agents.forEach(TestAgent::heartbeat), 300, 300, TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stop() {
    heartbeats.shutdownNow();
    agents.forEach(TestAgent::close);
    channel.shutdownNow();
    server.shutdownNow();
    sessions.close();
    store.close();
  }

  private TestAgent agent(String nodeId, String addr) {
    TestAgent agent = new TestAgent(channel).register(nodeId, addr);
    synchronized (this) {
      agents.add(agent);
    }
    await().atMost(WAIT).until(() -> agent.assignments().size() == 1);
    return agent;
  }

  /** As control writes it, and the scheduler's virtual IP of service "web" on it. */
  private void network() {
    store.txn().create(Tables.NETWORKS, NET, Network.newBuilder().setId(NET)
            .setSpec(NetworkSpec.newBuilder().setName("front"))
            .setIpam(IpamConfig.newBuilder().setSubnet("10.0.1.0/24").setGateway("10.0.1.1")).setVxlanId(4096).build())
        .create(Tables.SERVICE_STATUS, "web", ServiceStatus.newBuilder().setServiceId("web")
            .setEndpoint(Endpoint.newBuilder().addVirtualIps(EndpointVirtualIp.newBuilder().setNetworkId(NET)
                .setAddr("10.0.1.2/24"))).build())
        .commit();
  }

  private static Task webTask(String id, long slot, String nodeId, String address) {
    return Task.newBuilder().setId(id).setServiceId("web").setServiceName("web").setSlot(slot).setNodeId(nodeId)
        .setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_ASSIGNED))
        .setSpec(ServiceSpec.newBuilder().setName("web").addNetworks(NetworkAttachmentConfig.newBuilder()
            .setTarget(NET).addAliases("www")))
        .addNetworks(NetworkAttachment.newBuilder().setNetworkId(NET).addAddresses(address + "/24"))
        .build();
  }

  private static List<NetworkMap> maps(TestAgent agent) {
    return agent.received.stream().filter(SessionResponse::hasNetworkMap).map(SessionResponse::getNetworkMap).toList();
  }

  private static Optional<NetworkView> lastView(TestAgent agent) {
    List<NetworkMap> maps = maps(agent);
    return maps.isEmpty() || maps.get(maps.size() - 1).getNetworksCount() == 0
        ? Optional.empty() : Optional.of(maps.get(maps.size() - 1).getNetworks(0));
  }

  /** Index in what the agent received of the first assignments naming {@code taskId}; -1 if none. */
  private static int firstAssignmentOf(TestAgent agent, String taskId) {
    for (int i = 0; i < agent.received.size(); i++) {
      SessionResponse r = agent.received.get(i);
      if (r.hasAssignments() && r.getAssignments().getTasksList().stream().anyMatch(t -> t.getId().equals(taskId))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aSessionIsToldItsNetworksFirstThenBeforeTheAssignmentsThatUseANewOne() {
    TestAgent a = agent("na", "127.0.0.31");
    TestAgent b = agent("nb", "127.0.0.32");
    // The first push of a session holds a map, even an empty one, before the complete set.
    assertThat(a.received.get(0).hasSessionStarted()).isTrue();
    assertThat(a.received.get(1).getNetworkMap()).isEqualTo(NetworkMap.getDefaultInstance());
    assertThat(a.received.get(2).hasAssignments()).isTrue();

    network();
    store.txn().create(Tables.TASKS, "w1", webTask("w1", 1, "na", "10.0.1.5"))
        .create(Tables.TASKS, "w2", webTask("w2", 2, "nb", "10.0.1.6")).commit();

    await().atMost(WAIT).until(() -> firstAssignmentOf(a, "w1") >= 0 && firstAssignmentOf(b, "w2") >= 0);
    int assigned = firstAssignmentOf(a, "w1");
    SessionResponse before = a.received.get(assigned - 1);
    assertThat(before.hasNetworkMap()).isTrue();
    NetworkView view = before.getNetworkMap().getNetworks(0);
    assertThat(view.getNetworkId()).isEqualTo(NET);
    assertThat(view.getVxlanId()).isEqualTo(4096);
    assertThat(view.getPeersList()).containsExactly(
        NetworkPeer.newBuilder().setTaskId("w1").setAddress("10.0.1.5").setNodeAddr("127.0.0.31").setNodeId("na").build(),
        NetworkPeer.newBuilder().setTaskId("w2").setAddress("10.0.1.6").setNodeAddr("127.0.0.32").setNodeId("nb").build());
    assertThat(view.getServicesList()).containsExactly(ServiceEndpoint.newBuilder().setServiceId("web").setName("web")
        .addAliases("www").setMode(io.shoal.api.v1.EndpointMode.ENDPOINT_MODE_VIP).setVirtualIp("10.0.1.2").build());
    assertThat(b.received.get(firstAssignmentOf(b, "w2") - 1).hasNetworkMap()).isTrue();
  }

  @Test
  void aPeerTurningRunningOnAnotherNodeSendsAMapWithItsAddressAndStoppingItTakesItOut() {
    TestAgent a = agent("nc", "127.0.0.33");
    TestAgent b = agent("nd", "127.0.0.34");
    network();
    store.txn().create(Tables.TASKS, "w3", webTask("w3", 1, "nc", "10.0.1.7"))
        .create(Tables.TASKS, "w4", webTask("w4", 2, "nd", "10.0.1.8")).commit();
    await().atMost(WAIT).until(() -> firstAssignmentOf(b, "w4") >= 0);

    b.report("w4", TaskStatus.newBuilder().setState(TaskState.TASK_STATE_RUNNING).build());

    await().atMost(WAIT).until(() -> lastView(a)
        .map(v -> List.of("10.0.1.8").equals(v.getServices(0).getTaskAddressesList())).orElse(false));

    // The scheduler stops it: it serves no more at once, though it still runs (and stays a peer).
    Task w4 = store.get(Tables.TASKS, "w4").orElseThrow();
    store.txn().update(Tables.TASKS, "w4", w4.toBuilder().setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build(),
        w4.getVersion()).commit();

    await().atMost(WAIT).until(() -> lastView(a).map(v -> v.getServices(0).getTaskAddressesCount() == 0).orElse(false));
    assertThat(lastView(a).orElseThrow().getPeersList()).extracting(NetworkPeer::getTaskId).containsExactly("w3", "w4");
  }

  @Test
  void aMapIsNotSentAgainWhenNothingInItChanged() {
    TestAgent a = agent("ne", "127.0.0.35");
    network();
    store.txn().create(Tables.TASKS, "w5", webTask("w5", 1, "ne", "10.0.1.9")).commit();
    await().atMost(WAIT).until(() -> firstAssignmentOf(a, "w5") >= 0);
    assertThat(lastView(a)).isPresent();
    int mapsSent = maps(a).size();

    // A change of a task on the network that leaves the map as it was (not serving yet) ...
    a.report("w5", TaskStatus.newBuilder().setState(TaskState.TASK_STATE_PREPARING).build());
    await().atMost(WAIT).until(() ->
        store.get(Tables.TASKS, "w5").orElseThrow().getStatus().getState() == TaskState.TASK_STATE_PREPARING);
    // ... then one that pushes assignments to the node: once they are in, the first was dealt with.
    store.txn().create(Tables.TASKS, "plain", Task.newBuilder().setId("plain").setServiceId("other").setSlot(1)
        .setNodeId("ne").setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_ASSIGNED)).build()).commit();
    await().atMost(WAIT).until(() -> firstAssignmentOf(a, "plain") >= 0);

    assertThat(maps(a)).hasSize(mapsSent);
  }

  @Test
  void aMapTooBigForAMessageIsCountedAndNotSentWhileTheAssignmentsStillGo() {
    TestAgent a = agent("nf", "127.0.0.36");
    network();
    // Four services on the network whose names (1 MiB each, far above control's limit) make
    // the node's map larger than a Session message.
    for (int i = 0; i < 4; i++) {
      store.txn().create(Tables.TASKS, "fat" + i, webTask("fat" + i, 1, "elsewhere", "10.0.1." + (20 + i)).toBuilder()
          .setServiceId("fat" + i).setServiceName(i + "x".repeat(1 << 20)).build()).commit();
    }
    store.txn().create(Tables.TASKS, "w6", webTask("w6", 1, "nf", "10.0.1.10")).commit();

    await().atMost(WAIT).until(() -> firstAssignmentOf(a, "w6") >= 0);
    assertThat(metrics.count("network_map_oversized")).isPositive();
    assertThat(lastView(a)).isEmpty();

    // Back under the bound, the map goes out.
    for (int i = 0; i < 4; i++) {
      store.txn().delete(Tables.TASKS, "fat" + i, store.get(Tables.TASKS, "fat" + i).orElseThrow().getVersion()).commit();
    }
    await().atMost(WAIT).until(() -> lastView(a).map(v -> v.getServicesCount() == 1).orElse(false));
  }
}
