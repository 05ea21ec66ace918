package io.shoal.agent.worker;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.shoal.agent.LocalNode;
import io.shoal.agent.exec.ContainerConfigs;
import io.shoal.agent.exec.ContainerEngine;
import io.shoal.agent.exec.EngineTaskController;
import io.shoal.agent.exec.TaskOperations;
import io.shoal.agent.exec.PullCredentials;
import io.shoal.agent.exec.TaskFiles;
import io.shoal.agent.exec.TaskNetworks;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.backoff.Backoff;
import io.shoal.common.task.TaskStates;
import io.shoal.common.telemetry.Telemetry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the node's assignments (SwarmKit's {@code agent/worker.go}): one {@link TaskRunner} per
 * assigned task, containers of tasks that left the set removed, and container events turned
 * into kicks of the runner concerned.
 *
 * <p>Threading: {@link #apply} is called by the session, in order; runners do their work on a
 * shared pool; {@code this} guards only the runner map's membership changes.
 */
@Singleton
public final class TaskManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskManager.class);
  private static final Duration RETRY_MIN = Duration.ofMillis(500);
  private static final Duration RETRY_MAX = Duration.ofSeconds(5);

  private final ContainerEngine engine;
  private final LocalNode node;
  private final StatusSink sink;
  private final Clock clock;
  private final PullCredentials credentials;
  private final TaskNetworks networks;
  private final TaskFiles files;
  private final LongCounter transitions;
  private final WorkerPool workers;
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("task-timer"));
  private final ConcurrentMap<String, TaskRunner> runners = new ConcurrentHashMap<>();
  private final ConcurrentMap<TaskRunner, Backoff> retryDelays = new ConcurrentHashMap<>();
  /**
   * Runners whose pass found every worker busy and the queue full, in the order they were put
   * off; each is in it at most once, so it holds at most one entry per task of this node. A
   * worker that finishes a piece of work takes the next one.
   */
  private final java.util.Queue<TaskRunner> deferred = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Set<TaskRunner> deferredRunners = ConcurrentHashMap.newKeySet();
  /** Runners with a retry kick scheduled: one at a time each, so the timer queue stays small. */
  private final Set<TaskRunner> retryPending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean sweepPending = new AtomicBoolean();
  /** Ids of the last assignment set; null until the first set arrives (nothing is swept before). */
  private volatile Set<String> assigned;
  private AutoCloseable watch;

  public TaskManager(ContainerEngine engine, LocalNode node, StatusSink sink, Clock clock, Telemetry telemetry) {
    this(engine, node, sink, clock, telemetry, PullCredentials.NONE, WorkerLimits.DEFAULT, TaskNetworks.NONE);
  }

  /**
   * As above; pulls log in with what {@code credentials} gives for each task, and engine work
   * runs on at most {@code limits.threads()} threads; containers join the networks {@code networks}
   * makes ready.
   */
  public TaskManager(ContainerEngine engine, LocalNode node, StatusSink sink, Clock clock, Telemetry telemetry,
      PullCredentials credentials, WorkerLimits limits, TaskNetworks networks) {
    this(engine, node, sink, clock, telemetry, credentials, limits, networks, TaskFiles.NONE);
  }

  /** As above; containers get the files of their secrets and configs from {@code files}. */
  private final TaskOperations spans;

  @Inject
  public TaskManager(ContainerEngine engine, LocalNode node, StatusSink sink, Clock clock, Telemetry telemetry,
      PullCredentials credentials, WorkerLimits limits, TaskNetworks networks, TaskFiles files) {
    this.networks = networks;
    this.files = files;
    this.workers = new WorkerPool(limits.threads(), limits.queue(), telemetry, this::runDeferred);
    this.spans = new TaskOperations(telemetry.tracer("shoal-node-agent"), telemetry.openTelemetry().getMeterProvider());
    this.credentials = credentials;
    this.engine = engine;
    this.node = node;
    this.sink = sink;
    this.clock = clock;
    this.transitions = telemetry.meter("io.shoal.agent")
        .counterBuilder("shoal.agent.task.transitions")
        .setDescription("Task state changes reported by this agent, by new state")
        .build();
  }

  /**
   * Lists the containers this node left behind (they are adopted when their task is assigned,
   * removed otherwise) and starts watching the node's container events.
   */
  public void start() {
    List<ContainerEngine.ContainerSummary> existing =
        engine.listContainers(Map.of(ContainerConfigs.LABEL_NODE_ID, node.id()));
    log.info("node {}: {} container(s) of this node found on the engine", node.id(), existing.size());
    watch = engine.watch(node.id(), new ContainerEngine.ContainerEventListener() {
      @Override
      public void containerChanged(String containerId, String taskId) {
        TaskRunner runner = runners.get(taskId);
        if (runner != null) {
          runner.kick();
        }
      }

      @Override
      public void resynced() {
        runners.values().forEach(TaskRunner::kick);
      }
    });
  }

  /**
   * Applies the node's full assignment set. With {@code resync} (the first set of a new
   * session), statuses this agent reported that the dispatcher does not show yet are reported
   * again: they may have been lost with the previous stream.
   */
  public synchronized void apply(List<Task> tasks, boolean resync) {
    Set<String> ids = new HashSet<>();
    for (Task task : tasks) {
      ids.add(task.getId());
      upsert(task, resync);
    }
    for (TaskRunner runner : runners.values()) {
      if (!ids.contains(runner.taskId())) {
        runner.drop();
      }
    }
    assigned = Set.copyOf(ids);
    scheduleSweep();
  }

  /**
   * Applies changes to the set last applied: tasks new or changed, and tasks that left it (the
   * dispatcher's incremental assignments).
   */
  public synchronized void applyChanges(List<Task> changed, List<String> removed) {
    Set<String> ids = assigned == null ? null : new HashSet<>(assigned);
    for (Task task : changed) {
      upsert(task, false);
      if (ids != null) {
        ids.add(task.getId());
      }
    }
    for (String id : removed) {
      TaskRunner runner = runners.get(id);
      if (runner != null) {
        runner.drop();
      }
      if (ids != null) {
        ids.remove(id);
      }
    }
    if (ids != null) {
      assigned = Set.copyOf(ids);
      scheduleSweep();
    }
  }

  private void upsert(Task task, boolean resync) {
    TaskRunner runner = runners.get(task.getId());
    if (runner == null) {
      runner = newRunner(task);
      runners.put(task.getId(), runner);
    } else if (resync && ahead(runner.status(), task.getStatus())) {
      log.info("task {}: dispatcher shows {}, agent reported {}; reporting again", task.getId(),
          TaskRunner.name(task.getStatus().getState()), TaskRunner.name(runner.status().getState()));
      sink.report(task.getId(), runner.status());
    }
    runner.update(task);
  }

  /** The last status this agent has for each task it runs. */
  public Map<String, TaskStatus> statuses() {
    Map<String, TaskStatus> statuses = new java.util.TreeMap<>();
    runners.forEach((id, runner) -> statuses.put(id, runner.status()));
    return statuses;
  }

  private static boolean ahead(TaskStatus agent, TaskStatus dispatcher) {
    return !TaskStates.terminal(dispatcher.getState())
        && agent.getState().getNumber() > dispatcher.getState().getNumber();
  }

  private TaskRunner newRunner(Task task) {
    TaskRunner[] self = new TaskRunner[1];
    EngineTaskController controller =
        new EngineTaskController(engine, node.id(), node.hostname(), node.addr(), () -> self[0].task(), credentials,
            networks, files, spans);
    self[0] = new TaskRunner(task, controller, workers, sink, clock, new TaskRunner.Callbacks() {
      @Override
      public void removed(TaskRunner runner) {
        forget(runner);
      }

      @Override
      public void retryLater(TaskRunner runner) {
        TaskManager.this.retryLater(runner);
      }

      @Override
      public void rejected(TaskRunner runner) {
        if (!workers.isShutdown()) {
          defer(runner);
        }
      }

      @Override
      public void succeeded(TaskRunner runner) {
        retryDelays.remove(runner);
      }

      @Override
      public void transitioned(TaskState to) {
        transitions.add(1, Attributes.of(AttributeKey.stringKey("state"), TaskRunner.name(to)));
      }
    });
    return self[0];
  }

  /** Puts off {@code runner}'s pass until a worker is free (at once, if one freed meanwhile). */
  private void defer(TaskRunner runner) {
    if (deferredRunners.add(runner)) {
      deferred.add(runner);
    }
    if (workers.hasRoom()) {
      runDeferred();
    }
  }

  /** Runs the pass put off longest, if any (after each piece of work, on its worker). */
  private void runDeferred() {
    TaskRunner next = deferred.poll();
    if (next != null) {
      deferredRunners.remove(next);
      next.kick();
    }
  }

  /** Kicks {@code runner} again after a growing delay; a retry already scheduled covers this one. */
  private void retryLater(TaskRunner runner) {
    if (!retryPending.add(runner)) {
      return;
    }
    long delay = retryDelays.computeIfAbsent(runner, r -> new Backoff(RETRY_MIN, RETRY_MAX)).next().toMillis();
    schedule(() -> {
      retryPending.remove(runner);
      runner.kick();
    }, delay);
  }

  /** Engine work put off so far because every worker was busy and the queue full. */
  public long rejectedWork() {
    return workers.rejected();
  }

  private synchronized void forget(TaskRunner runner) {
    // Re-assigned while its container was being removed: keep it (it will step again).
    if (runner.dropped()) {
      runners.remove(runner.taskId(), runner);
    }
  }

  /** Removes containers of this node whose task is neither assigned nor being handled. */
  private void scheduleSweep() {
    if (sweepPending.compareAndSet(false, true) && !workers.offer("sweep", this::sweep)) {
      sweepPending.set(false);
      if (!workers.isShutdown()) {
        schedule(this::scheduleSweep, RETRY_MAX.toMillis());
      }
    }
  }

  private void sweep() {
    sweepPending.set(false);
    try {
      List<ContainerEngine.ContainerSummary> containers =
          engine.listContainers(Map.of(ContainerConfigs.LABEL_NODE_ID, node.id()));
      releaseStaleFiles(containers);
      for (ContainerEngine.ContainerSummary c : containers) {
        Set<String> current = assigned;
        if (current == null || current.contains(c.taskId()) || runners.containsKey(c.taskId())) {
          continue;
        }
        if (!workers.offer("orphan", () -> removeOrphan(c))) {
          // The pool is full (or closing): a later sweep finds this container again.
          schedule(this::scheduleSweep, RETRY_MAX.toMillis());
          return;
        }
      }
    } catch (RuntimeException e) {
      log.warn("cannot list this node's containers: {} (will retry)", e.getMessage());
      schedule(this::scheduleSweep, RETRY_MAX.toMillis());
    }
  }

  /**
   * Takes down the files of tasks that have neither a container nor a runner: left by a
   * container removed while the agent was down, or by a runner that ended. A task whose
   * container still runs keeps its files (an agent that restarted adopts it).
   */
  private void releaseStaleFiles(List<ContainerEngine.ContainerSummary> containers) {
    if (assigned == null) {
      return;
    }
    Set<String> withContainer = new HashSet<>();
    containers.forEach(c -> withContainer.add(c.taskId()));
    for (String taskId : files.present()) {
      if (!withContainer.contains(taskId) && !runners.containsKey(taskId)) {
        try {
          log.info("task {}: no container and not handled here; removing its files", taskId);
          files.release(taskId);
        } catch (RuntimeException e) {
          log.warn("task {}: cannot remove its files: {} (will retry)", taskId, e.getMessage());
          schedule(this::scheduleSweep, RETRY_MAX.toMillis());
        }
      }
    }
  }

  private void removeOrphan(ContainerEngine.ContainerSummary c) {
    try {
      log.info("task {}: not assigned to this node, removing its container {}", c.taskId(), c.id());
      try {
        engine.stop(c.id(), Optional.empty());
      } catch (RuntimeException e) {
        // Its own stop timeout may outlast the agent's deadline; the forced remove kills it.
        log.info("container {}: {}; removing it anyway", c.id(), e.getMessage());
      }
      engine.remove(c.id());
      files.release(c.taskId());
    } catch (RuntimeException e) {
      log.warn("cannot remove container {}: {} (will retry)", c.id(), e.getMessage());
      schedule(this::scheduleSweep, RETRY_MAX.toMillis());
    }
  }

  private void schedule(Runnable r, long delayMillis) {
    try {
      timers.schedule(r, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("closing; not rescheduled");
    }
  }

  /** Stops watching and working. Containers keep running: a restarted agent adopts them. */
  @Override
  public void close() {
    if (watch != null) {
      try {
        watch.close();
      } catch (Exception e) {
        log.warn("closing the container event watch: {}", e.toString());
      }
    }
    timers.shutdownNow();
    workers.close();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
