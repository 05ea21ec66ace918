package io.shoal.dispatcher;

import com.google.protobuf.Duration;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.trace.Span;
import io.shoal.api.v1.NetworkMap;
import io.shoal.api.v1.NodeSession;
import io.shoal.api.v1.RegisterNode;
import io.shoal.api.v1.SessionRequest;
import io.shoal.api.v1.SessionResponse;
import io.shoal.api.v1.SessionStarted;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskStatusRejected;
import io.shoal.api.v1.TaskStatusUpdate;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.PeerIdentity;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.authz.CallerIdentity;
import io.shoal.common.ids.Ids;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.time.Timestamps;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's Session stream. The first message must register the node; the session then lives
 * on an etcd lease renewed by heartbeats. The node turns DOWN when the session key disappears:
 * at once when the dispatcher ends the session (the lease is revoked), three heartbeat periods
 * after the agent's side broke (the lease lapses), so an agent that restarts keeps its node READY.
 *
 * <p>Flow control both ways: the next request is read only once the last one is dealt with (a
 * report waits for room in the status queue, see {@link TaskStatusWriter#submit}), and
 * responses go out through a {@link SessionOutbox} as fast as the agent reads them.
 */
@SessionScope
final class AgentSession implements StreamObserver<SessionRequest> {
  private static final Logger log = LoggerFactory.getLogger(AgentSession.class);
  /**
   * How long messages may wait with the agent taking none before the session ends: an agent
   * that reads nothing cannot run what it is told, and the dispatcher should not wait on it.
   * A 1 MiB part of a big set takes 8 s over a 1 Mbit/s link; 30 s leaves room for that.
   */
  static final java.time.Duration STALL_TIMEOUT = java.time.Duration.ofSeconds(30);
  /** Missed heartbeat periods before a session ends (SwarmKit's heartbeat grace). */
  static final int GRACE_PERIODS = 3;

  private final ServerCallStreamObserver<SessionResponse> responses;
  private final SessionOutbox outbox;
  private final SessionManager sessions;
  private final EtcdStore store;
  private final NodeRegistrar registrar;
  private final TaskStatusWriter statusWriter;
  private final DispatcherMetrics metrics;
  private final AssignmentTraces traces;
  private final Clock clock;
  private final java.time.Duration heartbeatPeriod;
  private final String dispatcherName;
  private final java.time.Duration stallTimeout;
  private final String sessionId = Ids.newId();
  /** The caller's verified certificate, read when the stream opened (none without TLS). */
  private final java.util.Optional<PeerIdentity> caller = CallerIdentity.current();
  private volatile String nodeId;
  private volatile InetAddress nodeAddr;
  /** How a session's end treats its lease (see {@link #fail} and {@link #release}). */
  private static final boolean REVOKE_LEASE = true;
  private static final boolean LEASE_LAPSES = false;

  private volatile long leaseId;
  private volatile AutoCloseable leaseKeeper = () -> {};
  private volatile long lastHeartbeat;
  private volatile long heartbeatDeadlineNanos;
  /** A report waits for room in the status queue; the agent's next message is not read yet. */
  private volatile boolean waitingForRoom;
  private volatile boolean closed;
  /** Set when a push found the outbox busy: the node is pushed again once it empties. */
  private final AtomicBoolean owed = new AtomicBoolean();
  private final AtomicBoolean loggedRejection = new AtomicBoolean();
  /** Touched only by the assignment pusher. */
  private final SentAssignments sent;
  private final SentNetworkMap sentMap;
  private final SentFileData sentFiles;
  private final FilePayloads payloads;
  private final AssignmentChunks chunks;
  private final Set<String> loggedOversized = new HashSet<>();
  private boolean loggedOversizedMap;

  @Inject
  AgentSession(StreamObserver<SessionResponse> responses, SentAssignments sent, SentNetworkMap sentMap,
      SentFileData sentFiles, FilePayloads payloads, AssignmentChunks chunks,
      SessionManager sessions, EtcdStore store, NodeRegistrar registrar, TaskStatusWriter statusWriter,
      DispatcherMetrics metrics, AssignmentTraces traces, Clock clock, @Named("heartbeatPeriod") java.time.Duration heartbeatPeriod,
      @Named("dispatcherName") String dispatcherName, @Named("stallTimeout") java.time.Duration stallTimeout) {
    this.responses = (ServerCallStreamObserver<SessionResponse>) responses;
    this.sent = sent;
    this.sentMap = sentMap;
    this.sentFiles = sentFiles;
    this.payloads = payloads;
    this.chunks = chunks;
    this.sessions = sessions;
    this.store = store;
    this.registrar = registrar;
    this.statusWriter = statusWriter;
    this.metrics = metrics;
    this.traces = traces;
    this.clock = clock;
    this.heartbeatPeriod = heartbeatPeriod;
    this.dispatcherName = dispatcherName;
    this.stallTimeout = stallTimeout;
    this.outbox = new SessionOutbox(this.responses, this::outboxEmptied);
    this.responses.setOnCancelHandler(() -> {
      outbox.abandon();
      end("stream cancelled", LEASE_LAPSES);
    });
    // Manual flow control: called while the service method runs, as gRPC requires.
    this.responses.disableAutoRequest();
    this.responses.request(1);
  }

  String nodeId() {
    return nodeId;
  }

  @Override
  public void onNext(SessionRequest request) {
    boolean readNext = true;
    try {
      switch (request.getMessageCase()) {
        case REGISTER -> register(request.getRegister());
        case HEARTBEAT -> heartbeat();
        case TASK_STATUS -> readNext = taskStatus(request.getTaskStatus());
        default -> fail(Status.INVALID_ARGUMENT.withDescription("SessionRequest: empty message"));
      }
    } catch (InvalidArgumentException e) {
      fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
    } catch (ShoalException e) {
      fail(Status.fromCode(e.code()).withDescription(e.getMessage()));
    } catch (RuntimeException e) {
      log.warn("session {} of node {} failed: {}", sessionId, nodeId, e.toString());
      fail(Status.UNAVAILABLE.withDescription("dispatcher: " + e.getMessage()));
    }
    if (readNext && !closed) {
      responses.request(1);
    }
  }

  /**
   * Checks a report and queues it; returns false when it waits for room in the queue (the
   * next message is read once it is queued). A report that breaks a limit is not stored: the
   * agent is told why, and the session goes on, so one bad report costs the node nothing else.
   */
  private boolean taskStatus(TaskStatusUpdate update) {
    requireRegistered();
    try {
      SessionRequestValidator.status(update, nodeAddr, clock.instant());
      Optional<Task> task = sessions.cachedTask(update.getTaskId());
      if (task.isPresent() && !task.get().getNodeId().equals(nodeId)) {
        throw new InvalidArgumentException("task_id", "task " + update.getTaskId() + " is not assigned to this node");
      }
    } catch (InvalidArgumentException e) {
      reject(update, e);
      return true;
    }
    // gRPC delivers one message of a stream at a time, and the writer's queue is FIFO, so
    // reports keep their order.
    // Set first: roomFound may run on the writer's thread before submit returns.
    waitingForRoom = true;
    boolean queued = statusWriter.submit(new TaskStatusWriter.Report(nodeId, update.getTaskId(), update.getStatus()),
        this::roomFound);
    if (queued) {
      waitingForRoom = false;
    }
    return queued;
  }

  private void reject(TaskStatusUpdate update, InvalidArgumentException e) {
    metrics.rejected(e.field());
    String taskId = update.getTaskId().length() <= SessionRequestValidator.MAX_ID_BYTES
        ? update.getTaskId() : update.getTaskId().substring(0, SessionRequestValidator.MAX_ID_BYTES);
    if (loggedRejection.compareAndSet(false, true)) {
      log.warn("node {} reported a status of task {} that breaks a limit ({}); not stored. Later ones of this "
          + "session are logged at debug level and counted in shoal_dispatcher_status_rejected_total",
          nodeId, taskId, e.getMessage());
    } else {
      log.debug("node {}: status of task {} rejected: {}", nodeId, taskId, e.getMessage());
    }
    outbox.sendNotice(SessionResponse.newBuilder().setTaskStatusRejected(TaskStatusRejected.newBuilder()
        .setTaskId(taskId).setField(e.field()).setDescription(e.reason())).build());
  }

  /** The status queue took the waiting report: read the agent's next message. */
  private void roomFound() {
    waitingForRoom = false;
    // Heartbeats waited behind the report; the agent gets a full period from now.
    lastHeartbeat = System.nanoTime();
    if (!closed) {
      responses.request(1);
    }
  }

  private void register(RegisterNode register) {
    if (nodeId != null) {
      fail(Status.FAILED_PRECONDITION.withDescription("RegisterNode: this session is already registered"));
      return;
    }
    InetAddress addr = SessionRequestValidator.register(register);
    // A worker's certificate names its node: it may open a session only for that node.
    caller.filter(c -> c.role() == Role.WORKER && !c.nodeId().equals(register.getNodeId())).ifPresent(c -> {
      throw new ShoalException(io.grpc.Status.Code.PERMISSION_DENIED, "the certificate of node " + c.nodeId()
          + " may not register as node " + register.getNodeId());
    });
    registrar.requireNotRevoked(register.getNodeId());
    long ttl = Math.max(2, heartbeatPeriod.multipliedBy(GRACE_PERIODS).toSeconds());
    leaseId = store.grantLease(ttl);
    heartbeatDeadlineNanos = java.time.Duration.ofSeconds(ttl).toNanos();
    lastHeartbeat = System.nanoTime();
    leaseKeeper = store.keepLeaseAlive(leaseId,
        () -> fail(Status.UNAVAILABLE.withDescription("session expired; register again")));
    nodeAddr = addr;
    nodeId = register.getNodeId();
    // The secret goes only to this node; etcd keeps its hash (the registry service checks it
    // before handing the node pull credentials).
    String secret = Ids.newId() + Ids.newId();
    NodeSession session = NodeSession.newBuilder().setNodeId(nodeId).setSessionId(sessionId)
        .setSessionSecretSha256(com.google.protobuf.ByteString.copyFrom(sha256(secret)))
        .setDispatcher(dispatcherName)
        .setStartTime(Timestamps.now(clock)).build();
    registrar.register(nodeId, register.getDescription(), session, leaseId);
    outbox.send(SessionResponse.newBuilder().setSessionStarted(SessionStarted.newBuilder()
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
   * node turns DOWN, and the agent is told to register again. Not while the session itself holds
   * the agent's messages back (a report waits for room in the status queue). Ends it too when
   * the agent has read nothing for the stall timeout ({@link #STALL_TIMEOUT}) while messages wait for it.
   */
  void expireIfSilent(long nowNanos) {
    if (nodeId == null || closed) {
      return;
    }
    if (!waitingForRoom && nowNanos - lastHeartbeat > heartbeatDeadlineNanos) {
      fail(Status.UNAVAILABLE.withDescription("no heartbeat for " + heartbeatPeriod.multipliedBy(GRACE_PERIODS).toSeconds()
          + "s; session expired, register again"));
    } else if (outbox.stalledNanos(nowNanos) > stallTimeout.toNanos()) {
      metrics.stalled();
      log.warn("node {} read none of the messages waiting for it for {} ms; ending its session", nodeId,
          stallTimeout.toMillis());
      fail(Status.RESOURCE_EXHAUSTED.withDescription("the agent read no message for " + stallTimeout.toMillis()
          + " ms while assignments waited; session ended"));
    }
  }

  private void requireRegistered() {
    if (nodeId == null) {
      throw new IllegalStateException("the first message of a session must be register");
    }
  }

  /**
   * Tells the agent its assignment set is now {@code tasks} (all of it first, then what changed)
   * and, before that, its network map when it differs from the last one sent, so the agent knows
   * a network before it is told to run a task on it; likewise the data of the secrets and configs
   * its tasks newly use goes before the assignments, and what no task uses any more is dropped
   * after them (only this node's, see {@link SentFileData}). {@code networkMap} is asked only when the
   * push goes out. While the agent has not yet taken the last push, nothing more is queued: the
   * node is pushed again once it has, with everything that changed meanwhile.
   */
  void push(List<Task> tasks, Supplier<NetworkMap> networkMap) {
    owed.set(true);
    if (outbox.busy()) {
      return;
    }
    owed.set(false);
    List<SessionResponse> messages = new ArrayList<>();
    NetworkMap map = networkMap.get();
    if (SentNetworkMap.fits(map)) {
      sentMap.next(map).ifPresent(m -> messages.add(SessionResponse.newBuilder().setNetworkMap(m).build()));
    } else {
      sentMap.refused(map);
      metrics.networkMapOversized();
      if (!loggedOversizedMap) {
        loggedOversizedMap = true;
        log.warn("the network map of node {} is {} bytes ({} networks), more than a Session message may hold; "
            + "not sent, so its tasks on networks it lacks cannot start. Later ones are counted in "
            + "shoal_dispatcher_network_map_oversized_total", nodeId, map.getSerializedSize(), map.getNetworksCount());
      }
    }
    List<Task> fitting = new ArrayList<>(tasks.size());
    for (Task task : tasks) {
      if (AssignmentChunks.fits(task)) {
        fitting.add(task);
      } else if (loggedOversized.add(task.getId())) {
        metrics.oversized();
        log.warn("task {} of node {} is {} bytes, more than a Session message may hold; not sent", task.getId(),
            nodeId, task.getSerializedSize());
      }
    }
    SentFileData.Push files = sentFiles.next(fitting, this::fileData);
    files.before().forEach(f -> messages.add(SessionResponse.newBuilder().setFileData(f).build()));
    List<Span> assigning = new ArrayList<>();
    sent.next(fitting).ifPresent(a -> {
      assigning.addAll(traces.sending(a, nodeId));
      chunks.split(a).forEach(part -> messages.add(SessionResponse.newBuilder().setAssignments(part).build()));
    });
    files.after().forEach(f -> messages.add(SessionResponse.newBuilder().setFileData(f).build()));
    if (!messages.isEmpty()) {
      outbox.sendAll(messages);
    }
    traces.sent(assigning);
  }

  /** An object's data for this node; ids only in the log, never data. */
  private io.shoal.api.v1.FileData fileData(io.shoal.api.v1.FileDataRef ref) {
    io.shoal.api.v1.FileData data = payloads.get(ref);
    if (data.hasData()) {
      metrics.fileDataSent(ref.getKind());
      log.info("node {}: sending the data of {} {} for its tasks", nodeId, kindWord(ref), ref.getId());
    } else {
      metrics.fileDataUnavailable(ref.getKind());
      log.warn("node {}: {} {} cannot be sent ({}); its tasks there are rejected", nodeId, kindWord(ref),
          ref.getId(), data.getUnavailable());
    }
    return data;
  }

  private static String kindWord(io.shoal.api.v1.FileDataRef ref) {
    return ref.getKind() == io.shoal.api.v1.FileDataKind.FILE_DATA_KIND_SECRET ? "secret" : "config";
  }

  /** Whether a change to one of these networks may change the map this session's agent holds. */
  boolean networkMapConcerns(Set<String> networkIds) {
    return sentMap.concerns(networkIds);
  }

  /** Messages waiting for the agent to read them. */
  int waitingMessages() {
    return outbox.waiting();
  }

  private void outboxEmptied() {
    if (owed.getAndSet(false) && nodeId != null && !closed) {
      sessions.push(nodeId);
    }
  }

  /**
   * Ends this session from the server side (no heartbeats, node removed, a newer session, a
   * broken message): its lease is revoked, so the node is DOWN at once unless a newer session
   * holds it.
   */
  void fail(Status status) {
    outbox.fail(status);
    end(status.getDescription(), REVOKE_LEASE);
  }

  /**
   * Ends this session because this dispatcher stops: its lease lapses by itself (three heartbeat
   * periods), long enough for the agent to open a session with another dispatcher, or this one
   * restarted, without its node turning DOWN and its tasks being replaced.
   */
  void release(Status status) {
    outbox.fail(status);
    end(status.getDescription(), LEASE_LAPSES);
  }

  /**
   * The agent's side broke or closed the stream (it died, restarted or lost the network): the
   * lease lapses by itself, as SwarmKit's heartbeat grace does, so an agent back within three
   * heartbeat periods keeps its node READY and adopts its running tasks.
   */
  @Override
  public void onError(Throwable t) {
    outbox.abandon();
    end("stream error: " + Status.fromThrowable(t).getCode(), LEASE_LAPSES);
  }

  @Override
  public void onCompleted() {
    outbox.complete();
    end("agent closed the session", LEASE_LAPSES);
  }

  private void end(String why, boolean revokeLease) {
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
        // Forked: a session ends inside its call's cancelled Context when the agent goes away, and
        // an etcd call made there inherits the cancellation ("RPC cancelled": the lease was then not
        // renewed and the grace did not hold; OverlayNetworksIT's agent restart failed so).
        io.grpc.Context.current().fork().run(() -> {
          if (revokeLease) {
            store.revokeLease(leaseId);
          } else {
            // Renewed once more, so the grace runs its full three periods from now, not from the last renewal.
            store.keepAlive(leaseId);
          }
        });
      } catch (RuntimeException e) {
        log.warn("could not {} the lease of node {} ({}); it lapses by itself", revokeLease ? "revoke" : "renew",
            nodeId, e.toString());
      }
    }
  }
}
