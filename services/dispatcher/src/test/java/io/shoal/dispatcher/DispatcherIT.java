package io.shoal.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.DispatcherServiceGrpc;
import io.shoal.api.v1.Heartbeat;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.RevokedNode;
import io.shoal.api.v1.RegisterNode;
import io.shoal.api.v1.SessionRequest;
import io.shoal.api.v1.SessionResponse;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.api.v1.TaskStatusUpdate;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dispatcher on a real etcd, with a test client playing the agent. */
@ExtendWith(EtcdExtension.class)
class DispatcherIT {
  private static final Duration HEARTBEAT = Duration.ofSeconds(1);

  private EtcdStore store;
  private SessionManager sessions;
  private Server server;
  private ManagedChannel channel;

  /** The agent's end of a session: records what the dispatcher sends. */
  final class FakeAgent implements StreamObserver<SessionResponse> {
    final List<SessionResponse> received = new CopyOnWriteArrayList<>();
    volatile Throwable error;
    final StreamObserver<SessionRequest> requests =
        DispatcherServiceGrpc.newStub(channel).session(this);

    FakeAgent register(String nodeId) {
      requests.onNext(SessionRequest.newBuilder().setRegister(RegisterNode.newBuilder().setNodeId(nodeId)
          .setDescription(NodeDescription.newBuilder().setHostname(nodeId + "-host").setAddr("127.0.0.9"))).build());
      return this;
    }

    void heartbeat() {
      requests.onNext(SessionRequest.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
    }

    void report(String taskId, TaskState state) {
      requests.onNext(SessionRequest.newBuilder().setTaskStatus(TaskStatusUpdate.newBuilder().setTaskId(taskId)
          .setStatus(TaskStatus.newBuilder().setState(state).setMessage(state.name()))).build());
    }

    List<Task> lastAssignments() {
      for (int i = received.size() - 1; i >= 0; i--) {
        if (received.get(i).hasAssignments()) {
          return received.get(i).getAssignments().getTasksList();
        }
      }
      return List.of();
    }

    @Override
    public void onNext(SessionResponse value) {
      received.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {}
  }

  @BeforeEach
  void start(EtcdTestCluster etcd) throws IOException {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    serve(dispatcher(HEARTBEAT));
  }

  /** Starts {@code graph}'s dispatcher and serves it; new FakeAgents talk to it. */
  private void serve(TestDispatcherComponent graph) throws IOException {
    sessions = graph.sessions();
    sessions.start();
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(graph.grpcService()).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  /** The dispatcher dies: its sessions' streams break, nobody renews or revokes their leases. */
  private void stopDispatcher() {
    channel.shutdownNow();
    server.shutdownNow();
    sessions.close();
  }

  private TestDispatcherComponent dispatcher() {
    return dispatcher(HEARTBEAT);
  }

  /** A dispatcher on the test's etcd root; it writes through its own handle, the test plays the scheduler with the other. */
  private TestDispatcherComponent dispatcher(Duration heartbeat) {
    EtcdStore own = store.writingAs(Writer.DISPATCHER);
    return TestDispatcherComponent.create(own, DispatcherMetrics.noop(), new TaskStatusWriter(own), heartbeat,
        AgentSession.STALL_TIMEOUT);
  }

  private NodeState state(String nodeId) {
    return store.get(Tables.NODE_REGISTRATIONS, nodeId).orElseThrow().getStatus().getState();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    sessions.close();
    store.close();
  }

  private Task assignedTask(String id, String nodeId) {
    Task task = Task.newBuilder().setId(id).setServiceId("svc").setSlot(1).setNodeId(nodeId)
        .setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_ASSIGNED)).build();
    store.txn().create(Tables.TASKS, id, task).commit();
    return task;
  }

  @Test
  void registerMakesTheNodeReadyWithALeasedSession() {
    FakeAgent agent = new FakeAgent().register("n1");

    await().atMost(Duration.ofSeconds(10)).until(() -> !agent.received.isEmpty());
    assertThat(agent.received.get(0).getSessionStarted().getHeartbeatPeriod().getSeconds()).isEqualTo(1);
    var node = store.get(Tables.NODE_REGISTRATIONS, "n1").orElseThrow();
    assertThat(node.getStatus().getState()).isEqualTo(NodeState.NODE_STATE_READY);
    assertThat(node.getDescription().getHostname()).isEqualTo("n1-host");
    assertThat(store.get(Tables.SESSIONS, "n1")).isPresent();
  }

  @Test
  void aRemovedNodesSessionEndsItsRegistrationGoesAndItCannotRegisterAgain() {
    FakeAgent agent = new FakeAgent().register("n1rm");
    await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Tables.SESSIONS, "n1rm").isPresent());

    // As control's `node rm --force` does (its spec is control's, and gone too).
    store.txn().create(Tables.REVOKED_NODES, "n1rm", RevokedNode.newBuilder().setNodeId("n1rm").build()).commit();

    await().atMost(Duration.ofSeconds(10)).until(() -> agent.error != null);
    assertThat(io.grpc.Status.fromThrowable(agent.error).getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
    assertThat(agent.error).hasMessageContaining("node n1rm was removed from the cluster (node rm)");
    await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Tables.NODE_REGISTRATIONS, "n1rm").isEmpty()
        && store.get(Tables.SESSIONS, "n1rm").isEmpty());

    FakeAgent again = new FakeAgent().register("n1rm");
    await().atMost(Duration.ofSeconds(10)).until(() -> again.error != null);
    assertThat(io.grpc.Status.fromThrowable(again.error).getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
    assertThat(store.get(Tables.NODE_REGISTRATIONS, "n1rm")).isEmpty();
  }

  @Test
  void theSessionSecretGoesOnlyToTheAgentAndEtcdKeepsItsHash() throws Exception {
    FakeAgent agent = new FakeAgent().register("n9");
    await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Tables.SESSIONS, "n9").isPresent());

    String secret = agent.received.get(0).getSessionStarted().getSessionSecret();
    assertThat(secret).hasSizeGreaterThanOrEqualTo(50);
    var session = store.get(Tables.SESSIONS, "n9").orElseThrow();
    assertThat(session.getSessionSecretSha256().toByteArray()).isEqualTo(
        java.security.MessageDigest.getInstance("SHA-256").digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    String raw = store.listRaw("sessions/").stream()
        .map(kv -> kv.getValue().toString(java.nio.charset.StandardCharsets.UTF_8)).reduce("", String::concat);
    assertThat(raw).doesNotContain(secret);
  }

  @Test
  void pushesTheNodesTasksAndStoresReportedStatus() {
    FakeAgent agent = new FakeAgent().register("n2");
    await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Tables.SESSIONS, "n2").isPresent());

    assignedTask("t1", "n2");
    assignedTask("other", "n3");

    await().atMost(Duration.ofSeconds(10)).until(() -> agent.lastAssignments().size() == 1);
    assertThat(agent.lastAssignments().get(0).getId()).isEqualTo("t1");

    agent.report("t1", TaskState.TASK_STATE_RUNNING);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        store.get(Tables.TASKS, "t1").orElseThrow().getStatus().getState() == TaskState.TASK_STATE_RUNNING);

    // States only move forward: a late PREPARING does not overwrite RUNNING, and another
    // node's task is not this node's to report.
    agent.report("t1", TaskState.TASK_STATE_PREPARING);
    agent.report("other", TaskState.TASK_STATE_FAILED);
    agent.requests.onNext(SessionRequest.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
    agent.report("t1", TaskState.TASK_STATE_COMPLETE);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        store.get(Tables.TASKS, "t1").orElseThrow().getStatus().getState() == TaskState.TASK_STATE_COMPLETE);
    assertThat(store.get(Tables.TASKS, "other").orElseThrow().getStatus().getState())
        .isEqualTo(TaskState.TASK_STATE_ASSIGNED);
  }

  @Test
  void desiredStateChangeIsPushed() {
    FakeAgent agent = new FakeAgent().register("n4");
    Task task = assignedTask("t4", "n4");
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.lastAssignments().size() == 1);

    Task stored = store.get(Tables.TASKS, "t4").orElseThrow();
    store.txn().update(Tables.TASKS, "t4", stored.toBuilder().setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build(),
        stored.getVersion()).commit();

    await().atMost(Duration.ofSeconds(10)).until(() -> !agent.lastAssignments().isEmpty()
        && agent.lastAssignments().get(0).getDesiredState() == TaskState.TASK_STATE_SHUTDOWN);
    assertThat(task.getId()).isEqualTo("t4");
  }

  @Test
  void anAgentBackWithinThreeHeartbeatPeriodsKeepsItsNodeReady() {
    FakeAgent killed = new FakeAgent().register("n9");
    await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Tables.SESSIONS, "n9").isPresent());
    String firstSession = store.get(Tables.SESSIONS, "n9").orElseThrow().getSessionId();

    // The agent dies (its stream breaks): the node stays READY while the lease runs out...
    killed.requests.onError(new IllegalStateException("agent killed"));
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() ->
        store.get(Tables.NODE_REGISTRATIONS, "n9").orElseThrow().getStatus().getState() == NodeState.NODE_STATE_READY);
    // ...and its next process registers the same node in time.
    FakeAgent restarted = new FakeAgent().register("n9");
    await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Tables.SESSIONS, "n9")
        .map(s -> !s.getSessionId().equals(firstSession)).orElse(false));

    // The first session's lease lapses meanwhile (three periods); the node stays READY through it.
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8)).until(() -> {
      restarted.heartbeat();
      return store.get(Tables.NODE_REGISTRATIONS, "n9").orElseThrow().getStatus().getState()
          == NodeState.NODE_STATE_READY && store.get(Tables.SESSIONS, "n9").isPresent();
    });
  }

  @Test
  void closedSessionTurnsTheNodeDown() {
    FakeAgent agent = new FakeAgent().register("n5");
    await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Tables.SESSIONS, "n5").isPresent());

    agent.requests.onCompleted();

    await().atMost(Duration.ofSeconds(10)).until(() ->
        store.get(Tables.NODE_REGISTRATIONS, "n5").orElseThrow().getStatus().getState() == NodeState.NODE_STATE_DOWN);
  }

  @Test
  void aDownNodesTaskToldToStopIsRecordedOrphanedWhileOneStillWantedThereKeepsItsState() {
    FakeAgent agent = new FakeAgent().register("n7");
    assignedTask("t7", "n7");
    assignedTask("t8", "n7");
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.lastAssignments().size() == 2);
    agent.report("t7", TaskState.TASK_STATE_RUNNING);
    agent.report("t8", TaskState.TASK_STATE_RUNNING);
    await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Tables.TASKS, "t7").orElseThrow().getStatus().getState()
        == TaskState.TASK_STATE_RUNNING && store.get(Tables.TASKS, "t8").orElseThrow().getStatus().getState()
        == TaskState.TASK_STATE_RUNNING);

    agent.requests.onCompleted();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        store.get(Tables.NODE_REGISTRATIONS, "n7").orElseThrow().getStatus().getState() == NodeState.NODE_STATE_DOWN);
    // The test plays the scheduler: t7 is replaced elsewhere, t8's restart policy keeps it there.
    Task stored = store.get(Tables.TASKS, "t7").orElseThrow();
    store.txn().update(Tables.TASKS, "t7", stored.toBuilder().setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build(),
        stored.getVersion()).commit();

    await().atMost(Duration.ofSeconds(10)).until(() ->
        store.get(Tables.TASKS, "t7").orElseThrow().getStatus().getState() == TaskState.TASK_STATE_ORPHANED);
    assertThat(store.get(Tables.TASKS, "t7").orElseThrow().getStatus().getMessage())
        .isEqualTo("task belonged to a node that is down");
    assertThat(store.get(Tables.TASKS, "t8").orElseThrow().getStatus().getState()).isEqualTo(TaskState.TASK_STATE_RUNNING);
  }

  /**
   * A dispatcher (re)started on a cluster that has nodes and tasks: its watch's first delivery
   * reads its own cache, which was not set yet, and every restart died of a NullPointerException
   * (RollingUpdateFaultsIT found it).
   */
  @Test
  void aDispatcherStartedOnAClusterWithTasksRecordsThoseOrphanedWhileNoneWatched() {
    FakeAgent agent = new FakeAgent().register("n10");
    assignedTask("t10", "n10");
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.lastAssignments().size() == 1);
    agent.report("t10", TaskState.TASK_STATE_RUNNING);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        store.get(Tables.TASKS, "t10").orElseThrow().getStatus().getState() == TaskState.TASK_STATE_RUNNING);
    agent.requests.onCompleted();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        store.get(Tables.NODE_REGISTRATIONS, "n10").orElseThrow().getStatus().getState() == NodeState.NODE_STATE_DOWN);
    sessions.close();
    // While no dispatcher runs, the scheduler tells the down node's task to stop.
    Task stored = store.get(Tables.TASKS, "t10").orElseThrow();
    store.txn().update(Tables.TASKS, "t10", stored.toBuilder().setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build(),
        stored.getVersion()).commit();

    sessions = dispatcher().sessions();
    sessions.start();

    await().atMost(Duration.ofSeconds(10)).until(() ->
        store.get(Tables.TASKS, "t10").orElseThrow().getStatus().getState() == TaskState.TASK_STATE_ORPHANED);
  }

  /**
   * The only dispatcher dies and its nodes' leases lapse while none runs. The next one to start
   * used to mark them all DOWN at once, and the scheduler replaced every task of the cluster
   * (RollingUpdateFaultsIT's dispatcher round took 27 s so). Now an agent back within one grace
   * of the start keeps its node READY; one that is not turns DOWN when the grace ends.
   */
  @Test
  void nodesWhoseLeasesLapsedWhileNoDispatcherRanGetAGraceFromTheNextStart() throws IOException {
    new FakeAgent().register("n11");
    new FakeAgent().register("n12");
    await().atMost(Duration.ofSeconds(10)).until(() ->
        store.get(Tables.SESSIONS, "n11").isPresent() && store.get(Tables.SESSIONS, "n12").isPresent());
    stopDispatcher();
    await().atMost(Duration.ofSeconds(15)).until(() ->
        store.get(Tables.SESSIONS, "n11").isEmpty() && store.get(Tables.SESSIONS, "n12").isEmpty());
    assertThat(state("n11")).as("nobody watched the lease lapse").isEqualTo(NodeState.NODE_STATE_READY);

    // The next dispatcher, with 3 s heartbeats: a grace of 9 s from its start.
    serve(dispatcher(Duration.ofSeconds(3)));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
        state("n11") == NodeState.NODE_STATE_READY && state("n12") == NodeState.NODE_STATE_READY);
    FakeAgent back = new FakeAgent().register("n11");
    await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Tables.SESSIONS, "n11").isPresent());

    await().atMost(Duration.ofSeconds(20)).until(() -> {
      back.heartbeat();
      return state("n12") == NodeState.NODE_STATE_DOWN;
    });
    assertThat(store.get(Tables.NODE_REGISTRATIONS, "n12").orElseThrow().getStatus().getMessage())
        .contains("not back within the grace");
    assertThat(state("n11")).as("its agent came back in time").isEqualTo(NodeState.NODE_STATE_READY);
  }

  @Test
  void missedHeartbeatsTurnTheNodeDown() {
    FakeAgent agent = new FakeAgent().register("n6");
    await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Tables.SESSIONS, "n6").isPresent());

    // No heartbeats for the 3 s the lease lasts, although the stream stays open: the session
    // ends, its lease goes, and the agent is told to register again.
    await().atMost(Duration.ofSeconds(15)).until(() ->
        store.get(Tables.NODE_REGISTRATIONS, "n6").orElseThrow().getStatus().getState() == NodeState.NODE_STATE_DOWN);
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.error != null);
    assertThat(io.grpc.Status.fromThrowable(agent.error).getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
    assertThat(store.get(Tables.SESSIONS, "n6")).isEmpty();
  }

  @Test
  void heartbeatsKeepTheSessionPastItsLeaseTtl() {
    FakeAgent agent = new FakeAgent().register("n8");
    await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Tables.SESSIONS, "n8").isPresent());
    var beats = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      beats.scheduleAtFixedRate(() -> agent.requests.onNext(SessionRequest.newBuilder()
          .setHeartbeat(Heartbeat.getDefaultInstance()).build()), 0, 500, java.util.concurrent.TimeUnit.MILLISECONDS);

      // Twice the 3 s lease: the dispatcher renews it while heartbeats come.
      await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() ->
          store.get(Tables.SESSIONS, "n8").isPresent() && agent.error == null);
      assertThat(store.get(Tables.NODE_REGISTRATIONS, "n8").orElseThrow().getStatus().getState()).isEqualTo(NodeState.NODE_STATE_READY);
    } finally {
      beats.shutdownNow();
    }
  }

  @Test
  void aSecondSessionReplacesTheFirst() {
    FakeAgent first = new FakeAgent().register("n7");
    await().atMost(Duration.ofSeconds(10)).until(() -> !first.received.isEmpty());

    FakeAgent second = new FakeAgent().register("n7");

    await().atMost(Duration.ofSeconds(10)).until(() -> first.error != null);
    await().atMost(Duration.ofSeconds(10)).until(() -> !second.received.isEmpty());
    assertThat(store.get(Tables.NODE_REGISTRATIONS, "n7").orElseThrow().getStatus().getState()).isEqualTo(NodeState.NODE_STATE_READY);
  }
}
