package io.shoal.dispatcher;

import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.shoal.api.v1.Assignments;
import io.shoal.api.v1.DispatcherServiceGrpc;
import io.shoal.api.v1.Heartbeat;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.RegisterNode;
import io.shoal.api.v1.SessionRequest;
import io.shoal.api.v1.SessionResponse;
import io.shoal.api.v1.TaskStatus;
import io.shoal.api.v1.TaskStatusRejected;
import io.shoal.api.v1.TaskStatusUpdate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The agent's end of a Session, played by a test: sends what it is told (well-formed or not)
 * and records what the dispatcher answers. With {@code reads} false it takes the first message
 * (SessionStarted) and then reads nothing, as a stuck agent would.
 */
final class TestAgent implements ClientResponseObserver<SessionRequest, SessionResponse> {
  final List<SessionResponse> received = new CopyOnWriteArrayList<>();
  volatile Throwable error;
  private final boolean reads;
  private ClientCallStreamObserver<SessionRequest> requests;
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-agent-heartbeat");
    t.setDaemon(true);
    return t;
  });

  TestAgent(Channel channel, boolean reads) {
    this.reads = reads;
    DispatcherServiceGrpc.newStub(channel)
        .withMaxInboundMessageSize(AssignmentChunks.MAX_MESSAGE_BYTES)
        .withMaxOutboundMessageSize(AssignmentChunks.MAX_MESSAGE_BYTES)
        .session(this);
  }

  TestAgent(Channel channel) {
    this(channel, true);
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<SessionRequest> stream) {
    requests = stream;
    if (!reads) {
      stream.disableAutoRequestWithInitial(1);
    }
  }

  TestAgent register(String nodeId, String addr) {
    return send(SessionRequest.newBuilder().setRegister(RegisterNode.newBuilder().setNodeId(nodeId)
        .setDescription(NodeDescription.newBuilder().setHostname(nodeId + "-host").setAddr(addr))).build());
  }

  TestAgent heartbeat() {
    return send(SessionRequest.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
  }

  TestAgent report(String taskId, TaskStatus status) {
    return send(SessionRequest.newBuilder()
        .setTaskStatus(TaskStatusUpdate.newBuilder().setTaskId(taskId).setStatus(status)).build());
  }

  /**
   * Heartbeats every {@code period} until {@link #close}, as a live agent does: a test whose
   * work may outlast the session's three missed heartbeats on a loaded machine uses it.
   */
  TestAgent heartbeatEvery(Duration period) {
    heartbeats.scheduleAtFixedRate(this::heartbeat, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Thread-safe: a test may heartbeat from a timer while it reports. */
  synchronized TestAgent send(SessionRequest request) {
    requests.onNext(request);
    return this;
  }

  boolean started() {
    return received.stream().anyMatch(SessionResponse::hasSessionStarted);
  }

  List<TaskStatusRejected> rejections() {
    return received.stream().filter(SessionResponse::hasTaskStatusRejected)
        .map(SessionResponse::getTaskStatusRejected).toList();
  }

  List<Assignments> assignments() {
    return received.stream().filter(SessionResponse::hasAssignments).map(SessionResponse::getAssignments).toList();
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

  void close() {
    heartbeats.shutdownNow();
    requests.cancel("test done", null);
  }
}
