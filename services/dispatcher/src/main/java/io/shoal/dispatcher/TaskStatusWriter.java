package io.shoal.dispatcher;

import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.TxnBatches;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the status an agent reports, batched: reports gather for 100 ms and go to etcd up to
 * 100 tasks per transaction, each guarded by the version last seen (a lost race is redone one by
 * one from a fresh read). States only move forward: a report older than what is
 * stored is dropped. A lost race with the scheduler (which writes desired state on the same key)
 * is retried by re-reading, never by overwriting.
 */
@Singleton
final class TaskStatusWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskStatusWriter.class);
  private static final int ATTEMPTS = 10;
  /** How long reports gather before they are written together (SwarmKit flushes every 100 ms). */
  static final long FLUSH_MILLIS = 100;
  /** etcd allows 128 operations per transaction by default; keep well below. */
  static final int BATCH = 100;
  /**
   * Batches written at once: etcd syncs concurrent transactions to disk together, so a burst of
   * 10,000 reports takes about as long as a quarter of its batches one after another.
   */
  static final int IN_FLIGHT = 4;

  private final EtcdStore store;
  /** The task as last seen: the dispatcher's watch cache, or etcd itself in tests. */
  private final Function<String, Optional<Task>> lookup;
  private final LinkedBlockingQueue<Report> queue = new LinkedBlockingQueue<>();
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
  private volatile boolean running = true;

  record Report(String nodeId, String taskId, TaskStatus status) {}

  @Inject
  TaskStatusWriter(EtcdStore store, SessionManager sessions) {
    this(store, sessions::cachedTask);
  }

  TaskStatusWriter(EtcdStore store) {
    this(store, id -> store.get(Tables.TASKS, id));
  }

  private TaskStatusWriter(EtcdStore store, Function<String, Optional<Task>> lookup) {
    this.store = store;
    this.lookup = lookup;
    flusher.setDaemon(true);
    flusher.start();
  }

  /**
   * Queues an agent's report; it is stored within {@link #FLUSH_MILLIS} together with the other
   * reports of that moment, up to {@link #BATCH} tasks per transaction. Reports of one task keep
   * their order (states only move forward, so the last one wins).
   */
  void submit(String nodeId, String taskId, TaskStatus status) {
    queue.add(new Report(nodeId, taskId, status));
  }

  private void flushLoop() {
    while (running) {
      try {
        Report first = queue.take();
        Thread.sleep(FLUSH_MILLIS); // gather what arrives meanwhile
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
      if (before == null || r.status().getState().getNumber() >= before.status().getState().getNumber()) {
        latest.put(key, r);
      }
    }
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

  private void flushOrRequeue(List<Report> chunk) {
    try {
      flushChunk(chunk);
    } catch (RuntimeException e) {
      // etcd slow or unavailable: keep the reports for the next flush rather than lose them
      // (an agent reports a state once; its next report may never come).
      log.warn("storing {} task statuses failed; retrying with the next flush: {}", chunk.size(), e.toString());
      queue.addAll(chunk);
    }
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
      outcome.refused().forEach(u ->
          log.warn("etcd refused the status of task {} for its size; it is dropped", u.report().taskId()));
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
