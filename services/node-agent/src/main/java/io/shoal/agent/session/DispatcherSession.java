package io.shoal.agent.session;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.shoal.agent.LocalNode;
import io.shoal.agent.files.FileDataStore;
import io.shoal.agent.exec.ContainerEngine;
import io.shoal.agent.exec.EngineInfo;
import io.shoal.agent.worker.TaskManager;
import io.shoal.api.v1.Assignments;
import io.shoal.api.v1.AssignmentsType;
import io.shoal.api.v1.DispatcherServiceGrpc;
import io.shoal.api.v1.Heartbeat;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.RegisterNode;
import io.shoal.api.v1.SessionRequest;
import io.shoal.api.v1.SessionResponse;
import io.shoal.api.v1.SessionStarted;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskStatusRejected;
import io.shoal.api.v1.TaskStatusUpdate;
import io.shoal.common.backoff.Backoff;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's end of {@code DispatcherService/Session} (see dispatcher.proto for the contract):
 * registers, heartbeats every period the dispatcher asks for, hands each assignment set to the
 * {@link TaskManager}, and sends queued task statuses. When the stream fails it reconnects, to the
 * next of its dispatchers ({@link DispatcherEndpoints}), with a capped, jittered backoff
 * (200 ms → 2 s) and registers again; containers keep running
 * meanwhile and statuses wait in the {@link StatusQueue}. Statuses are sent while the stream is ready (the
 * dispatcher reads them): the rest wait in the queue, not in gRPC's buffers. A complete
 * assignment set that comes in parts is applied once its last part is in.
 *
 * <p>Threading: everything (sends, state, callbacks from gRPC) runs on one "session" thread, so
 * the request stream, which is not thread-safe, has a single writer and no field needs a lock.
 */
@Singleton
public final class DispatcherSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DispatcherSession.class);
  private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
  /**
   * No Session message either way exceeds 4 MiB (dispatcher.proto; the dispatcher splits big
   * assignment sets): gRPC's default, set here so that it is a contract, not an accident.
   */
  static final int MAX_MESSAGE_BYTES = 4 << 20;

  private final DispatcherEndpoints dispatchers;
  private final LocalNode node;
  private final ContainerEngine engine;
  private final TaskManager tasks;
  private final StatusQueue statuses;
  private final SessionIdentity identity;
  private final NetworkMapSink networks;
  private final FileDataStore fileData;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "dispatcher-session");
    t.setDaemon(true);
    return t;
  });
  private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));

  // Confined to the session thread.
  private Stream current;
  private ScheduledFuture<?> heartbeats;
  private boolean closed;
  private int sessions;

  public DispatcherSession(Channel dispatcher, LocalNode node, ContainerEngine engine, TaskManager tasks,
      StatusQueue statuses, SessionIdentity identity) {
    this(dispatcher, node, engine, tasks, statuses, identity, NetworkMapSink.NONE);
  }

  /** As above; each network map goes to {@code networks}. */
  public DispatcherSession(Channel dispatcher, LocalNode node, ContainerEngine engine, TaskManager tasks,
      StatusQueue statuses, SessionIdentity identity, NetworkMapSink networks) {
    this(DispatcherEndpoints.of(dispatcher), node, engine, tasks, statuses, identity, networks, new FileDataStore());
  }

  /** As above, with any of {@code dispatchers}; the data of secrets and configs goes to {@code fileData}. */
  @Inject
  public DispatcherSession(DispatcherEndpoints dispatchers, LocalNode node, ContainerEngine engine, TaskManager tasks,
      StatusQueue statuses, SessionIdentity identity, NetworkMapSink networks, FileDataStore fileData) {
    this.fileData = fileData;
    this.identity = identity;
    this.networks = networks;
    this.dispatchers = dispatchers;
    this.node = node;
    this.engine = engine;
    this.tasks = tasks;
    this.statuses = statuses;
  }

  /** Connects in the background; returns at once. */
  public void start() {
    statuses.onReport(() -> run(this::flush));
    run(this::connect);
  }

  /** Half-closes the stream (the dispatcher sees the agent leave) and stops reconnecting. */
  @Override
  public void close() {
    run(() -> {
      closed = true;
      cancelHeartbeats();
      if (current != null) {
        current.requests.onCompleted();
        current = null;
      }
    });
    loop.shutdown();
    try {
      if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
        loop.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      loop.shutdownNow();
    }
  }

  private void connect() {
    if (closed) {
      return;
    }
    NodeDescription description;
    try {
      description = describe();
    } catch (RuntimeException e) {
      log.warn("cannot describe this node ({}); retrying", e.getMessage());
      retry();
      return;
    }
    Stream stream = new Stream();
    current = stream;
    DispatcherServiceGrpc.newStub(dispatchers.channel())
        .withMaxInboundMessageSize(MAX_MESSAGE_BYTES)
        .withMaxOutboundMessageSize(MAX_MESSAGE_BYTES)
        .session(stream);
    stream.send(SessionRequest.newBuilder()
        .setRegister(RegisterNode.newBuilder().setNodeId(node.id()).setDescription(description))
        .build());
    log.debug("node {} registering with the dispatcher {}", node.id(), dispatchers.address());
  }

  private NodeDescription describe() {
    EngineInfo info = engine.info();
    return NodeDescription.newBuilder()
        .setHostname(node.hostname())
        .setAddr(node.addr())
        .setAgentAddress(node.agentAddress())
        .setOs(info.os())
        .setArch(info.arch())
        .setNanoCpus(info.cpus() * 1_000_000_000L)
        .setMemoryBytes(info.memoryBytes())
        .setEngineVersion(info.version())
        .setMetricsAddr(node.metricsAddr())
        .putAllEngineLabels(info.labels())
        .build();
  }

  private void handle(Stream stream, SessionResponse response) {
    if (stream != current) {
      return;
    }
    switch (response.getMessageCase()) {
      case SESSION_STARTED -> started(stream, response.getSessionStarted());
      case ASSIGNMENTS -> assignments(stream, response.getAssignments());
      case NETWORK_MAP -> networks.update(response.getNetworkMap());
      case FILE_DATA -> fileData.update(response.getFileData());
      case TASK_STATUS_REJECTED -> {
        TaskStatusRejected r = response.getTaskStatusRejected();
        log.warn("node {}: the dispatcher refused the status of task {}: {}: {}", node.id(), r.getTaskId(),
            r.getField(), r.getDescription());
      }
      default -> log.debug("ignoring an unknown session message {}", response.getMessageCase());
    }
  }

  private void assignments(Stream stream, Assignments assignments) {
    if (assignments.getType() == AssignmentsType.ASSIGNMENTS_TYPE_INCREMENTAL) {
      if (stream.firstAssignments || stream.completeSoFar != null) {
        // The dispatcher sends the complete set first; changes to a set never received can't be
        // applied safely (nothing would be swept), so start over.
        log.warn("node {}: the dispatcher sent changes before the complete assignment set; reconnecting", node.id());
        stream.cancel("incremental assignments before the complete set");
        return;
      }
      tasks.applyChanges(assignments.getTasksList(), assignments.getRemovedTaskIdsList());
      return;
    }
    List<Task> set = assignments.getTasksList();
    if (assignments.getContinued() || stream.completeSoFar != null) {
      // A part of a set too big for one message: a task of a later part must not be taken as
      // removed, so nothing is applied before the last part.
      if (stream.completeSoFar == null) {
        stream.completeSoFar = new ArrayList<>();
      }
      stream.completeSoFar.addAll(set);
      if (assignments.getContinued()) {
        return;
      }
      set = stream.completeSoFar;
      stream.completeSoFar = null;
    }
    boolean resync = stream.firstAssignments;
    stream.firstAssignments = false;
    // What an earlier session sent and no task of the set uses goes.
    fileData.retainUsedBy(set);
    tasks.apply(set, resync);
  }

  private void started(Stream stream, SessionStarted started) {
    stream.started = true;
    backoff.reset();
    Duration period = started.hasHeartbeatPeriod()
        ? Duration.ofSeconds(started.getHeartbeatPeriod().getSeconds(), started.getHeartbeatPeriod().getNanos())
        : Duration.ZERO;
    if (period.isZero() || period.isNegative()) {
      period = DEFAULT_HEARTBEAT;
    }
    cancelHeartbeats();
    heartbeats = loop.scheduleAtFixedRate(() -> heartbeat(stream), period.toMillis(), period.toMillis(),
        TimeUnit.MILLISECONDS);
    statuses.live(true);
    identity.started(started.getSessionSecret());
    sessions++;
    log.info("node {} ({}) {} session {} with the dispatcher; heartbeat every {} ms",
        node.id(), node.hostname(), sessions == 1 ? "started" : "restarted", started.getSessionId(),
        period.toMillis());
    flush();
  }

  private void heartbeat(Stream stream) {
    if (stream == current && stream.started) {
      stream.send(SessionRequest.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
    }
  }

  /**
   * Sends queued statuses while the stream is ready; kept queued while no session is up or the
   * dispatcher reads slowly (the stream's onReady handler flushes again).
   */
  private void flush() {
    if (current == null || !current.started) {
      return;
    }
    while (current.requests.isReady()) {
      TaskStatusUpdate update = statuses.poll();
      if (update == null) {
        return;
      }
      current.send(SessionRequest.newBuilder().setTaskStatus(update).build());
    }
  }

  private void broken(Stream stream, Throwable error) {
    if (stream != current) {
      return;
    }
    current = null;
    cancelHeartbeats();
    statuses.live(false);
    identity.ended();
    if (closed) {
      return;
    }
    Status status = error == null ? Status.OK : Status.fromThrowable(error);
    String left = dispatchers.address();
    dispatchers.moveOn();
    log.warn("session with the dispatcher {} {} ({}); reconnecting{}", left,
        error == null ? "ended by the dispatcher" : "failed", error == null ? "completed" : status,
        dispatchers.size() > 1 ? " to the dispatcher " + dispatchers.address() : "");
    retry();
  }

  private void retry() {
    Duration delay = backoff.next();
    try {
      loop.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("session closed; not reconnecting");
    }
  }

  private void cancelHeartbeats() {
    if (heartbeats != null) {
      heartbeats.cancel(false);
      heartbeats = null;
    }
  }

  private void run(Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("session closed; dropping work");
    }
  }

  /** One attempt: a call on the channel. gRPC's callbacks are moved to the session thread. */
  private final class Stream implements ClientResponseObserver<SessionRequest, SessionResponse> {
    ClientCallStreamObserver<SessionRequest> requests;
    boolean started;
    boolean firstAssignments = true;
    /** The parts of a complete set received so far; null when none is under way. */
    List<Task> completeSoFar;

    @Override
    public void beforeStart(ClientCallStreamObserver<SessionRequest> requestStream) {
      this.requests = requestStream;
      requestStream.setOnReadyHandler(() -> run(() -> {
        if (this == current) {
          flush();
        }
      }));
    }

    void send(SessionRequest request) {
      requests.onNext(request);
    }

    /** Ends the call from this side; its onError reconnects. */
    void cancel(String why) {
      requests.cancel(why, null);
    }

    @Override
    public void onNext(SessionResponse response) {
      run(() -> handle(this, response));
    }

    @Override
    public void onError(Throwable t) {
      run(() -> broken(this, t));
    }

    @Override
    public void onCompleted() {
      run(() -> broken(this, null));
    }
  }
}
