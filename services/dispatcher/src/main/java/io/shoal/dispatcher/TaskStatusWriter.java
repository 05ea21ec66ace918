package io.shoal.dispatcher;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.grpc.Status;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.TxnBatches;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the status an agent reports, batched by group commit: a report that finds the writer idle
 * is written at once, and the reports that arrive while a write is under way go together in the
 * next one, up to 100 tasks per transaction, each guarded by the version last seen (a lost race is redone one by
 * one from a fresh read). States only move forward: a report older than what is
 * stored is dropped. A lost race with the scheduler (which writes desired state on the same key)
 * is retried by re-reading, never by overwriting.
 *
 * <p>At most {@link #CAPACITY} reports are held (queued, being written, or waiting for a retry);
 * a session whose report finds no room waits for one before it reads its agent's next message,
 * so a flood slows its own agent down and no report that was read is dropped for lack of room.
 * A batch etcd refuses for good (anything but UNAVAILABLE, a timeout or a lost race, or any
 * error while etcd answers other requests) is written one report at a time, and the report(s)
 * that fail alone are set aside: dropped, counted and logged, so one bad report cannot hold up
 * the others. Transient failures are retried with a backoff, {@link #TRANSIENT_ATTEMPTS} times.
 */
@Singleton
final class TaskStatusWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskStatusWriter.class);
  private static final int ATTEMPTS = 10;
  /**
   * The first delay before a transient failure is retried. There is no wait before a write:
   * SwarmKit gathers reports for 100 ms, which every task's RUNNING then waits for; under load,
   * reports gather anyway while the previous write is under way.
   */
  static final long RETRY_MILLIS = 100;
  /** etcd allows 128 operations per transaction by default; keep well below. */
  static final int BATCH = 100;
  /**
   * Batches written at once: etcd syncs concurrent transactions to disk together, so a burst of
   * 10,000 reports takes about as long as a quarter of its batches one after another.
   */
  static final int IN_FLIGHT = 4;
  /**
   * Reports held at once: two bursts of 10,000 (every task of a big node reporting RUNNING),
   * a few MiB of memory at the bounded size of a report.
   */
  static final int CAPACITY = 20_000;
  /**
   * Tries of a report that meets UNAVAILABLE or timeouts, 100 ms apart at first and at most
   * {@link #MAX_RETRY_DELAY_MILLIS}: about four minutes. By then the node's session lease has
   * lapsed with etcd, and the agent reports again what its next session does not show.
   */
  static final int TRANSIENT_ATTEMPTS = 50;
  static final long MAX_RETRY_DELAY_MILLIS = 5_000;

  private final EtcdStore store;
  /** The task as last seen: the dispatcher's watch cache, or etcd itself in tests. */
  private final Function<String, Optional<Task>> lookup;
  private final DispatcherMetrics metrics;
  private final int capacity;
  private final LinkedBlockingQueue<Report> queue = new LinkedBlockingQueue<>();
  /** Reports accepted and not yet stored or set aside, and the ones waiting for room. */
  private final Object admission = new Object();
  @GuardedBy("admission")
  private int held;
  @GuardedBy("admission")
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  /** Tasks this writer stored lately, so the next report of one needs no fresh read. */
  private final Map<String, Task> written = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Task> eldest) {
      return size() > 20_000;
    }
  };
  private final Thread flusher = new Thread(this::flushLoop, "status-flusher");
  private final ExecutorService writers = Executors.newFixedThreadPool(IN_FLIGHT, r -> {
    Thread t = new Thread(r, "status-writer");
    t.setDaemon(true);
    return t;
  });
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "status-retry");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean running = true;

  /** One report; {@code attempts} counts the transient failures it has met. */
  record Report(String nodeId, String taskId, TaskStatus status, int attempts) {
    Report(String nodeId, String taskId, TaskStatus status) {
      this(nodeId, taskId, status, 0);
    }

    Report retried() {
      return new Report(nodeId, taskId, status, attempts + 1);
    }
  }

  private record Waiting(Report report, Runnable onAccepted) {}

  @Inject
  TaskStatusWriter(EtcdStore store, SessionManager sessions, DispatcherMetrics metrics) {
    this(store, sessions::cachedTask, metrics, CAPACITY);
  }

  TaskStatusWriter(EtcdStore store) {
    this(store, DispatcherMetrics.noop(), CAPACITY);
  }

  TaskStatusWriter(EtcdStore store, DispatcherMetrics metrics, int capacity) {
    this(store, id -> store.get(Tables.TASKS, id), metrics, capacity);
  }

  private TaskStatusWriter(EtcdStore store, Function<String, Optional<Task>> lookup, DispatcherMetrics metrics,
      int capacity) {
    this.store = store;
    this.lookup = lookup;
    this.metrics = metrics;
    this.capacity = capacity;
    flusher.setDaemon(true);
    flusher.start();
  }

  /**
   * Queues an agent's report; it is stored at once, or with the other reports that arrived
   * while the previous write was under way, up to {@link #BATCH} tasks per transaction. Reports of one task keep
   * their order (states only move forward, so the last one wins).
   *
   * <p>Returns false when the queue is full: the report then waits for room, is queued first
   * when some frees up (before any later submit), and {@code onAccepted} runs; the caller reads
   * no further report meanwhile.
   */
  boolean submit(Report report, Runnable onAccepted) {
    synchronized (admission) {
      if (held < capacity && waiting.isEmpty()) {
        held++;
        queue.add(report);
        return true;
      }
      waiting.add(new Waiting(report, onAccepted));
    }
    metrics.queueFull();
    return false;
  }

  /** {@link #submit(Report, Runnable)} for callers that need not know when a full queue takes it. */
  void submit(String nodeId, String taskId, TaskStatus status) {
    submit(new Report(nodeId, taskId, status), () -> {});
  }

  /** Reports held now (queued, being written, waiting for a retry). */
  int held() {
    synchronized (admission) {
      return held;
    }
  }

  /** {@code n} held reports are done with (stored, dropped as stale, or set aside). */
  private void release(int n) {
    if (n == 0) {
      return;
    }
    List<Runnable> accepted = new ArrayList<>();
    synchronized (admission) {
      held -= n;
      while (held < capacity && !waiting.isEmpty()) {
        Waiting w = waiting.poll();
        held++;
        queue.add(w.report());
        accepted.add(w.onAccepted());
      }
    }
    for (Runnable r : accepted) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("resuming a session after its report was queued failed: {}", e.toString());
      }
    }
  }

  private void flushLoop() {
    while (running) {
      try {
        Report first = queue.take();
        List<Report> reports = new ArrayList<>();
        reports.add(first);
        queue.drainTo(reports);
        flush(reports);
      } catch (InterruptedException e) {
        List<Report> rest = new ArrayList<>();
        queue.drainTo(rest);
        flush(rest);
        return;
      } catch (RuntimeException e) {
        log.warn("storing task statuses failed: {}", e.toString());
      }
    }
  }

  /**
   * One transaction per {@link #BATCH} tasks, {@link #IN_FLIGHT} at once (the batches hold
   * different tasks, so their order does not matter); a batch that loses a race is written one by
   * one.
   */
  void flush(List<Report> reports) {
    // Per node and task (a report from a node the task is not on must not hide the real one);
    // only one node's report of a task passes the check in flushChunk, so no key appears twice in
    // a txn and no two batches write the same task.
    Map<String, Report> latest = new LinkedHashMap<>();
    for (Report r : reports) {
      String key = r.nodeId() + '\0' + r.taskId();
      Report before = latest.get(key);
      // Compared by number: a state this build does not know has no getState() (intake refuses
      // it; should one get here, it is set aside where it is written, not thrown here).
      if (before == null || r.status().getStateValue() >= before.status().getStateValue()) {
        latest.put(key, r);
      }
    }
    release(reports.size() - latest.size()); // superseded by a later report of the same task
    List<Report> all = new ArrayList<>(latest.values());
    List<Future<?>> pending = new ArrayList<>();
    for (int from = 0; from < all.size(); from += BATCH) {
      List<Report> chunk = all.subList(from, Math.min(all.size(), from + BATCH));
      pending.add(writers.submit(() -> flushOrRequeue(chunk)));
    }
    for (Future<?> f : pending) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        log.warn("storing task statuses failed: {}", e.getCause().toString());
      }
    }
  }

  /**
   * Writes one batch. A transient failure keeps the batch for a later flush; any other failure
   * means some report in it can never be written, so the reports are written one by one and the
   * ones that fail alone are set aside (a batch put back as it was would fail every 100 ms for
   * ever, and block nothing but itself only by luck).
   */
  private void flushOrRequeue(List<Report> chunk) {
    try {
      flushChunk(chunk);
      release(chunk.size());
      return;
    } catch (RuntimeException e) {
      // A batch too large for etcd never gets here: TxnBatches splits it, and sets aside (below,
      // as too_large) what etcd refuses even alone.
      if (isTransient(e)) {
        retryLater(chunk, e);
        return;
      }
      if (chunk.size() > 1) {
        log.info("storing {} task statuses failed ({}); storing them one by one", chunk.size(), e.toString());
      }
    }
    List<Report> again = new ArrayList<>();
    int done = 0;
    for (Report r : chunk) {
      try {
        flushChunk(List.of(r));
        done++;
      } catch (RuntimeException e) {
        if (isTransient(e)) {
          again.add(r);
        } else {
          setAside(r, "permanent", e);
          done++;
        }
      }
    }
    release(done);
    if (!again.isEmpty()) {
      retryLater(again, null);
    }
  }

  /** UNAVAILABLE, a timeout, a lost race or shutdown: worth another try. */
  private static boolean isTransient(RuntimeException e) {
    if (e instanceof ConflictException) {
      return true;
    }
    Status.Code code = e instanceof ShoalException s ? s.code() : Status.fromThrowable(e).getCode();
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
        || code == Status.Code.CANCELLED;
  }

  private void retryLater(List<Report> reports, RuntimeException why) {
    List<Report> again = new ArrayList<>();
    int given = 0;
    for (Report r : reports) {
      if (r.attempts() + 1 >= TRANSIENT_ATTEMPTS) {
        setAside(r, "retries", why);
        given++;
      } else {
        again.add(r.retried());
      }
    }
    release(given);
    if (again.isEmpty()) {
      return;
    }
    int attempt = again.get(0).attempts();
    long delay = Math.min(MAX_RETRY_DELAY_MILLIS, RETRY_MILLIS << Math.min(attempt, 10));
    // etcd slow or unavailable: keep the reports (an agent reports a state once; its next
    // report may never come); they keep their room in the queue meanwhile.
    log.warn("storing {} task statuses failed; retrying in {} ms: {}", again.size(), delay,
        why == null ? "etcd unavailable" : why.toString());
    try {
      retries.schedule(() -> queue.addAll(again), delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      queue.addAll(again); // closing: the flusher's last drain takes them
    }
  }

  private void setAside(Report r, String reason, RuntimeException why) {
    metrics.setAside(reason, 1);
    log.warn("set aside the status of task {} reported by node {} (state {}): {}", r.taskId(), r.nodeId(),
        r.status().getStateValue(), reason.equals("retries")
            ? "still failing after " + TRANSIENT_ATTEMPTS + " tries" + (why == null ? "" : ": " + why)
            : reason.equals("too_large") ? "etcd refuses it for its size even alone"
            : "etcd refused it: " + why);
  }

  private void flushChunk(List<Report> chunk) {
    List<Update> updates = new ArrayList<>();
    List<Report> unknown = new ArrayList<>();
    for (Report r : chunk) {
      Task current = current(r.taskId());
      if (current == null) {
        unknown.add(r); // not in the cache (yet): write() reads etcd
        continue;
      }
      if (!current.getNodeId().equals(r.nodeId())
          || r.status().getState().getNumber() < current.getStatus().getState().getNumber()
          || r.status().equals(current.getStatus())) {
        continue; // another node's, or stale: dropped, as write() would
      }
      updates.add(new Update(r, current.toBuilder().setStatus(r.status()).build(), current.getVersion()));
    }
    // Split by bytes as well as count: a batch etcd refuses for its size is written one by one.
    for (TxnBatches.Batch<Update> batch : TxnBatches.of(store, updates,
        (txn, u) -> txn.update(Tables.TASKS, u.task().getId(), u.task(), u.version()), txn -> {})) {
      TxnBatches.Outcome<Update> outcome = batch.commit();
      synchronized (written) {
        outcome.committed().forEach(c ->
            written.put(c.item().task().getId(), c.item().task().toBuilder().setVersion(c.revision()).build()));
      }
      outcome.conflicted().forEach(u -> write(u.report().nodeId(), u.report().taskId(), u.report().status()));
      outcome.refused().forEach(u -> setAside(u.report(), "too_large", null));
    }
    unknown.forEach(r -> write(r.nodeId(), r.taskId(), r.status()));
  }

  /** A report turned into the task it writes, guarded by the version it was read at. */
  private record Update(Report report, Task task, long version) {}

  /** The newest of what the cache and this writer know. */
  private Task current(String taskId) {
    Task cached = lookup.apply(taskId).orElse(null);
    Task mine;
    synchronized (written) {
      mine = written.get(taskId);
    }
    if (mine != null && (cached == null || mine.getVersion() > cached.getVersion())) {
      return cached == null ? null : mine;
    }
    return cached;
  }

  @Override
  public void close() {
    running = false;
    flusher.interrupt();
    try {
      flusher.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writers.shutdown();
    retries.shutdownNow();
  }

  /** Returns false when the report was dropped (unknown task, another node's, or stale). */
  boolean write(String nodeId, String taskId, TaskStatus status) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<Task> current = store.get(Tables.TASKS, taskId);
      if (current.isEmpty()) {
        return false;
      }
      Task task = current.get();
      if (!task.getNodeId().equals(nodeId)) {
        log.warn("node {} reported task {} which is assigned to {}", nodeId, taskId, task.getNodeId());
        return false;
      }
      if (status.getState().getNumber() < task.getStatus().getState().getNumber()
          || status.equals(task.getStatus())) {
        return false;
      }
      Task updated = task.toBuilder().setStatus(status).build();
      try {
        long revision = store.txn().update(Tables.TASKS, taskId, updated, task.getVersion()).commit();
        synchronized (written) {
          written.put(taskId, updated.toBuilder().setVersion(revision).build());
        }
        return true;
      } catch (ConflictException e) {
        log.debug("task {} changed while storing its status; reading again", taskId);
      }
    }
    log.warn("gave up storing the status of task {} after {} conflicts", taskId, ATTEMPTS);
    return false;
  }
}
