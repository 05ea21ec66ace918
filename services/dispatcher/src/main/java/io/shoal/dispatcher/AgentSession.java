package io.shoal.dispatcher;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.NodeSession;
import io.shoal.api.v1.RegisterNode;
import io.shoal.api.v1.SessionRequest;
import io.shoal.api.v1.SessionResponse;
import io.shoal.api.v1.SessionStarted;
import io.shoal.api.v1.Task;
import io.shoal.common.server.Ids;
import io.shoal.common.store.EtcdStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's Session stream. The first message must register the node; the session then lives
 * on an etcd lease renewed by heartbeats. Its end (either side) revokes the lease, and the node
 * turns DOWN when the session key disappears.
 */
final class AgentSession implements StreamObserver<SessionRequest> {
  private static final Logger log = LoggerFactory.getLogger(AgentSession.class);

  private final ServerCallStreamObserver<SessionResponse> responses;
  private final SessionManager sessions;
  private final EtcdStore store;
  private final NodeRegistrar registrar;
  private final TaskStatusWriter statusWriter;
  private final java.time.Duration heartbeatPeriod;
  private final String dispatcherName;
  private final String sessionId = Ids.newId();
  private volatile String nodeId;
  private volatile long leaseId;
  private volatile AutoCloseable leaseKeeper = () -> {};
  private volatile long lastHeartbeat;
  private volatile long heartbeatDeadlineNanos;
  private volatile boolean closed;
  /** Touched only by the assignment pusher. */
  private final SentAssignments sent = new SentAssignments();

  AgentSession(StreamObserver<SessionResponse> responses, SessionManager sessions, EtcdStore store,
      NodeRegistrar registrar, TaskStatusWriter statusWriter,
      java.time.Duration heartbeatPeriod, String dispatcherName) {
    this.responses = (ServerCallStreamObserver<SessionResponse>) responses;
    this.sessions = sessions;
    this.store = store;
    this.registrar = registrar;
    this.statusWriter = statusWriter;
    this.heartbeatPeriod = heartbeatPeriod;
    this.dispatcherName = dispatcherName;
    this.responses.setOnCancelHandler(() -> end("stream cancelled"));
  }

  String nodeId() {
    return nodeId;
  }

  @Override
  public void onNext(SessionRequest request) {
    try {
      switch (request.getMessageCase()) {
        case REGISTER -> register(request.getRegister());
        case HEARTBEAT -> heartbeat();
        case TASK_STATUS -> {
          requireRegistered();
          var update = request.getTaskStatus();
          // gRPC delivers one message of a stream at a time, and the writer's queue is FIFO, so
          // reports keep their order.
          statusWriter.submit(nodeId, update.getTaskId(), update.getStatus());
        }
        default -> fail(Status.INVALID_ARGUMENT.withDescription("SessionRequest: empty message"));
      }
    } catch (RuntimeException e) {
      log.warn("session {} of node {} failed: {}", sessionId, nodeId, e.toString());
      fail(Status.UNAVAILABLE.withDescription("dispatcher: " + e.getMessage()));
    }
  }

  private void register(RegisterNode register) {
    if (nodeId != null) {
      fail(Status.FAILED_PRECONDITION.withDescription("RegisterNode: this session is already registered"));
      return;
    }
    if (register.getNodeId().isEmpty()) {
      fail(Status.INVALID_ARGUMENT.withDescription("RegisterNode.node_id: must be provided"));
      return;
    }
    long ttl = Math.max(2, heartbeatPeriod.multipliedBy(3).toSeconds());
    leaseId = store.grantLease(ttl);
    heartbeatDeadlineNanos = java.time.Duration.ofSeconds(ttl).toNanos();
    lastHeartbeat = System.nanoTime();
    leaseKeeper = store.keepLeaseAlive(leaseId,
        () -> fail(Status.UNAVAILABLE.withDescription("session expired; register again")));
    nodeId = register.getNodeId();
    // The secret goes only to this node; etcd keeps its hash (the registry service checks it
    // before handing the node pull credentials).
    String secret = Ids.newId() + Ids.newId();
    NodeSession session = NodeSession.newBuilder().setNodeId(nodeId).setSessionId(sessionId)
        .setSessionSecretSha256(com.google.protobuf.ByteString.copyFrom(sha256(secret)))
        .setDispatcher(dispatcherName)
        .setStartTime(Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000)).build();
    registrar.register(nodeId, register.getDescription(), session, leaseId);
    send(SessionResponse.newBuilder().setSessionStarted(SessionStarted.newBuilder()
        .setSessionId(sessionId)
        .setSessionSecret(secret)
        .setHeartbeatPeriod(Duration.newBuilder().setSeconds(heartbeatPeriod.toSeconds())
            .setNanos(heartbeatPeriod.toNanosPart()))).build());
    sessions.attach(this);
  }

  private static byte[] sha256(String secret) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Only noted: the dispatcher keeps the session's lease alive itself (one shared etcd stream)
   * while heartbeats come, so a heartbeat costs no etcd call; {@link #expireIfSilent} ends a
   * session whose heartbeats stopped.
   */
  private void heartbeat() {
    requireRegistered();
    lastHeartbeat = System.nanoTime();
  }

  /**
   * Ends the session if no heartbeat came for as long as its lease lasts (three heartbeat
   * periods), as the lease would lapse without the dispatcher: its lease is revoked, so the
   * node turns DOWN, and the agent is told to register again.
   */
  void expireIfSilent(long nowNanos) {
    if (nodeId != null && !closed && nowNanos - lastHeartbeat > heartbeatDeadlineNanos) {
      fail(Status.UNAVAILABLE.withDescription("no heartbeat for " + heartbeatPeriod.multipliedBy(3).toSeconds()
          + "s; session expired, register again"));
    }
  }

  private void requireRegistered() {
    if (nodeId == null) {
      throw new IllegalStateException("the first message of a session must be register");
    }
  }

  /** Tells the agent its assignment set is now {@code tasks}: all of it first, then what changed. */
  void sendAssignments(List<Task> tasks) {
    sent.next(tasks).ifPresent(a -> send(SessionResponse.newBuilder().setAssignments(a).build()));
  }

  private void send(SessionResponse response) {
    synchronized (responses) {
      if (!closed) {
        responses.onNext(response);
      }
    }
  }

  /** Ends this session from the server side, e.g. when a newer one replaces it. */
  void fail(Status status) {
    synchronized (responses) {
      if (!closed) {
        responses.onError(status.asRuntimeException());
      }
    }
    end(status.getDescription());
  }

  @Override
  public void onError(Throwable t) {
    end("stream error: " + Status.fromThrowable(t).getCode());
  }

  @Override
  public void onCompleted() {
    synchronized (responses) {
      if (!closed) {
        responses.onCompleted();
      }
    }
    end("agent closed the session");
  }

  private void end(String why) {
    synchronized (responses) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (nodeId != null) {
      log.info("session {} of node {} ended: {}", sessionId, nodeId, why);
      sessions.detach(this);
      try {
        leaseKeeper.close();
      } catch (Exception e) {
        log.debug("stopping the keep-alive of node {}'s lease: {}", nodeId, e.toString());
      }
      try {
        store.revokeLease(leaseId);
      } catch (RuntimeException e) {
        log.warn("could not revoke the lease of node {} ({}); it lapses by itself", nodeId, e.toString());
      }
    }
  }
}
