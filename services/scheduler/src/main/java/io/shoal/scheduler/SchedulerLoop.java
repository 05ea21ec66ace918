package io.shoal.scheduler;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.Task;
import io.shoal.common.objects.NodeViews;
import io.shoal.common.objects.ServiceViews;
import io.shoal.common.store.Change;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.StoreCache;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Txn;
import io.shoal.common.store.TxnBatches;
import io.shoal.scheduler.metrics.ClusterMetrics;
import io.shoal.scheduler.network.AddressIndex;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's single thread: a change in etcd only marks the cluster dirty; after a quiet
 * gap of 50 ms (at most 1 s after the first change, as SwarmKit debounces) the loop reconciles
 * once and writes the plan in batched transactions; the first change after an idle gap is
 * reconciled at once ({@link Debounce}). It then waits until its cache shows its own
 * writes, so it never decides twice on a view that lacks them. One loop per leadership term:
 * started once, closed once; the next term gets a fresh one.
 */
public final class SchedulerLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SchedulerLoop.class);
  static final Duration QUIET = Duration.ofMillis(50);
  static final Duration MAX_DELAY = Duration.ofSeconds(1);
  /** Batches written at once. */
  static final int IN_FLIGHT = 8;
  /**
   * The longest the loop sleeps for a wake-up the reconciler asked for: a far one (a delay of
   * years) comes back as another pass, which asks again, and {@code nanoTime} sums can't overflow.
   */
  static final Duration MAX_SLEEP = Duration.ofHours(1);
  /** A pass that fails as a whole is retried after 50 ms, doubling up to this. */
  static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);

  private final EtcdStore store;
  private final Reconciler reconciler;
  private final Object signal = new Object();
  private final Thread thread = new Thread(this::run, "scheduler-loop");
  private final java.util.concurrent.ExecutorService writers =
      java.util.concurrent.Executors.newFixedThreadPool(IN_FLIGHT, r -> {
        Thread t = new Thread(r, "scheduler-writer");
        t.setDaemon(true);
        return t;
      });
  private StoreCache cache;
  private final ClusterMetrics metrics;
  private Consumer<Txn> guard = txn -> {};
  /** Guarded by signal. */
  private final Debounce debounce = new Debounce(QUIET, MAX_DELAY, System.nanoTime());
  /** System.nanoTime() of the next pass the reconciler asked for; 0: none. Guarded by signal. */
  private long wakeAt;
  private volatile boolean running = true;
  /** Only the loop's thread touches these two. */
  private Duration retryDelay = QUIET;
  private String lastFailure = "";
  /** The loop's thread only: whether the next pass reads the address index, and what it found astray. */
  private boolean readIndex = true;
  private Set<String> strayKeys = Set.of();

  public SchedulerLoop(EtcdStore store, Reconciler reconciler) {
    this(store, reconciler, ClusterMetrics.none());
  }

  /** As above, the cluster's gauges and the pass's timings on {@code metrics} while this loop leads. */
  @Inject
  public SchedulerLoop(EtcdStore store, Reconciler reconciler, ClusterMetrics metrics) {
    this.store = store;
    this.reconciler = reconciler;
    this.metrics = metrics;
  }

  public void start() {
    start(txn -> {});
  }

  /** Starts the loop; {@code guard} is added to every transaction (the leader's fencing). */
  public void start(Consumer<Txn> guard) {
    this.guard = guard;
    cache = new StoreCache(store, List.of(Tables.SERVICES, Tables.SERVICE_STATUS, Tables.TASKS, Tables.NODES,
        Tables.NODE_REGISTRATIONS, Tables.NETWORKS, Tables.REMOVED_SERVICES), this::changed).start();
    markDirty();
    thread.start();
  }

  /** The watch brought {@code changes}: a pass is due; task status changes are timed (watch lag). */
  private void changed(List<Change<?>> changes) {
    Instant now = Instant.now();
    for (Change<?> change : changes) {
      if (change instanceof Change.Put<?> put && put.value() instanceof Task task
          && (!(put.previous() instanceof Task before) || !before.getStatus().equals(task.getStatus()))) {
        metrics.statusSeen(task, now);
      }
    }
    markDirty();
  }

  private void markDirty() {
    synchronized (signal) {
      debounce.changed(System.nanoTime());
      signal.notifyAll();
    }
  }

  private void awaitWork() throws InterruptedException {
    synchronized (signal) {
      while (!debounce.dirty()) {
        if (wakeAt == 0) {
          signal.wait();
          continue;
        }
        long left = wakeAt - System.nanoTime();
        if (left <= 0) {
          // A restart delay (or another timer the reconciler asked for) ran out.
          wakeAt = 0;
          debounce.timerRanOut(System.nanoTime());
          break;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(signal, left);
      }
      for (long left = debounce.dueIn(System.nanoTime()); left > 0; left = debounce.dueIn(System.nanoTime())) {
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(signal, left);
      }
      debounce.passStarts();
    }
  }

  private void run() {
    while (running) {
      try {
        awaitWork();
        try {
          tick();
        } finally {
          synchronized (signal) {
            debounce.passEnds(System.nanoTime());
          }
        }
        retryDelay = QUIET;
        lastFailure = "";
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // A service that fails is skipped by the reconciler; this is the pass itself failing.
        if (!e.toString().equals(lastFailure)) {
          log.warn("reconciliation failed; retrying with back-off up to {}", MAX_RETRY_DELAY, e);
          lastFailure = e.toString();
        }
        retryIn(retryDelay);
        retryDelay = min(retryDelay.multipliedBy(2), MAX_RETRY_DELAY);
      }
    }
  }

  /** Reconciles once and writes the result. Visible for tests. */
  void tick() throws InterruptedException {
    long started = System.nanoTime();
    Map<String, Service> stored = Map.copyOf(cache.view(Tables.SERVICES));
    Map<String, ServiceStatus> statuses = Map.copyOf(cache.view(Tables.SERVICE_STATUS));
    ClusterView view = new ClusterView(services(stored, statuses), Map.copyOf(cache.view(Tables.TASKS)),
        nodes(cache.view(Tables.NODES), cache.view(Tables.NODE_REGISTRATIONS)), Map.copyOf(cache.view(Tables.NETWORKS)),
        strayAddresses(statuses), Map.copyOf(cache.view(Tables.REMOVED_SERVICES)));
    Plan plan = reconciler.reconcile(view);
    metrics.observe(view.services(), view.tasks(), view.nodes());
    long reconciled = System.nanoTime();
    synchronized (signal) {
      wakeAt = plan.wakeAt().map(at -> System.nanoTime() + sleepNanos(Instant.now(), at)).orElse(0L);
    }
    List<Consumer<Txn>> writes = taskWrites(plan, view.tasks());
    writes.addAll(statusWrites(plan, stored, statuses));
    if (writes.isEmpty()) {
      log.debug("tick: nothing to do over {} tasks ({} ms)", view.tasks().size(), (reconciled - started) / 1_000_000);
      metrics.passed(reconciled - started);
      return;
    }
    long revision = commit(writes);
    long written = System.nanoTime();
    if (revision > 0 && !cache.awaitRevision(revision, Duration.ofSeconds(10))) {
      log.warn("cache did not reach revision {} in time", revision);
    }
    long seen = System.nanoTime();
    metrics.passed(written - started);
    // Big ticks say where their time went (the benchmark reads this); small ones stay quiet.
    if (plan.size() >= 1000) {
      log.info("tick: {} changes ({} new tasks) over {} tasks, {} nodes: reconcile {} ms, write {} ms, watch {} ms",
          plan.size(), plan.creates().size(), view.tasks().size(), view.nodes().size(),
          (reconciled - started) / 1_000_000, (written - reconciled) / 1_000_000, (seen - written) / 1_000_000);
    } else {
      log.debug("tick wrote {} changes ({} new tasks): reconcile {} ms, write {} ms", plan.size(), plan.creates().size(),
          (reconciled - started) / 1_000_000, (written - reconciled) / 1_000_000);
    }
  }

  /**
   * The plan's tasks as writes, each with the address index entries it claims or releases in the
   * same transaction: a new task claims its addresses, a changed one those it did not have and
   * releases those it dropped (it ended), a deleted one releases all of its.
   */
  static List<Consumer<Txn>> taskWrites(Plan plan, Map<String, Task> stored) {
    List<Consumer<Txn>> writes = new ArrayList<>();
    plan.creates().forEach(t -> writes.add(txn -> {
      txn.create(Tables.TASKS, t.getId(), t);
      AddressIndex.claim(txn, t.getId(), AddressIndex.of(t), Set.of());
    }));
    plan.updates().forEach(t -> writes.add(txn -> {
      txn.update(Tables.TASKS, t.getId(), t, t.getVersion());
      Set<String> had = stored.containsKey(t.getId()) ? AddressIndex.of(stored.get(t.getId())) : Set.of();
      AddressIndex.claim(txn, t.getId(), AddressIndex.of(t), had);
      AddressIndex.release(txn, t.getId(), had, AddressIndex.of(t));
    }));
    plan.deletes().forEach(t -> writes.add(txn -> {
      txn.delete(Tables.TASKS, t.getId(), t.getVersion());
      Task old = stored.getOrDefault(t.getId(), t);
      AddressIndex.release(txn, t.getId(), AddressIndex.of(old), Set.of());
    }));
    return writes;
  }

  /**
   * Address index entries held by no task or service status the cache knows: none unless etcd was
   * edited by hand or a bug leaked one, but each would make every claim of its address fail, so the
   * allocator steers clear of them. Read at a term's first pass and after a batch conflicts (a lost
   * claim), not on every pass: in between the index is exactly what the tasks and statuses hold.
   */
  private Set<String> strayAddresses(Map<String, ServiceStatus> statuses) {
    if (readIndex) {
      readIndex = false;
      Map<String, Task> tasks = cache.view(Tables.TASKS);
      Set<String> stray = new java.util.HashSet<>();
      store.owners(Tables.ADDRESSES).forEach((key, owner) -> {
        if (!tasks.containsKey(owner) && !statuses.containsKey(owner)) {
          stray.add(key);
        }
      });
      if (!stray.isEmpty() && !stray.equals(strayKeys)) {
        log.warn("{} address index entries are held by no task or service; their addresses are not given out: {}",
            stray.size(), stray.size() <= 10 ? stray : stray.size() + " keys");
      }
      strayKeys = Set.copyOf(stray);
    }
    return strayKeys;
  }

  /** The services as the reconciler reads them: each with the scheduler's status about it. */
  static Map<String, Service> services(Map<String, Service> stored, Map<String, ServiceStatus> statuses) {
    Map<String, Service> services = new HashMap<>();
    stored.forEach((id, s) -> services.put(id, ServiceViews.withStatus(s, Optional.ofNullable(statuses.get(id)))));
    return services;
  }

  /** Every node with a spec (control's) or a registration (the dispatcher's), the two merged. */
  static Map<String, Node> nodes(Map<String, Node> specs, Map<String, NodeRegistration> registrations) {
    Map<String, Node> nodes = new HashMap<>();
    specs.forEach((id, n) -> nodes.put(id, NodeViews.merge(n, registrations.get(id))));
    registrations.forEach((id, r) -> nodes.computeIfAbsent(id, k -> NodeViews.merge(null, r)));
    return nodes;
  }

  /**
   * The plan's service statuses as writes of the scheduler's own key, each guarded by the
   * version read (the scheduler is its only writer; the guard catches a term that overlaps its
   * successor's), and the removal of the status of every service that is gone.
   */
  static List<Consumer<Txn>> statusWrites(Plan plan, Map<String, Service> stored, Map<String, ServiceStatus> statuses) {
    List<Consumer<Txn>> writes = new ArrayList<>();
    for (Service s : plan.serviceUpdates()) {
      ServiceStatus status = ServiceViews.statusOf(s);
      ServiceStatus old = statuses.get(s.getId());
      Set<String> vips = AddressIndex.of(status.getEndpoint());
      Set<String> oldVips = old == null ? Set.of() : AddressIndex.of(old.getEndpoint());
      writes.add(txn -> {
        if (old == null) {
          txn.create(Tables.SERVICE_STATUS, s.getId(), status);
        } else {
          txn.update(Tables.SERVICE_STATUS, s.getId(), status, old.getVersion());
        }
        AddressIndex.claim(txn, s.getId(), vips, oldVips);
        AddressIndex.release(txn, s.getId(), oldVips, vips);
      });
    }
    statuses.forEach((id, status) -> {
      if (!stored.containsKey(id)) {
        writes.add(txn -> {
          txn.delete(Tables.SERVICE_STATUS, id, status.getVersion());
          AddressIndex.release(txn, id, AddressIndex.of(status.getEndpoint()), Set.of());
        });
      }
    });
    return writes;
  }

  /** Nanoseconds from {@code now} to {@code at}, in [0, {@link #MAX_SLEEP}]. */
  static long sleepNanos(Instant now, Instant at) {
    Duration left = Duration.between(now, at);
    return left.isNegative() ? 0 : min(left, MAX_SLEEP).toNanos();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The next pass in {@code delay}, or sooner if etcd changes. */
  private void retryIn(Duration delay) {
    synchronized (signal) {
      long at = System.nanoTime() + delay.toNanos();
      if (wakeAt == 0 || at - wakeAt < 0) {
        wakeAt = at == 0 ? 1 : at;
      }
      signal.notifyAll();
    }
  }

  /**
   * Writes in transactions that etcd takes ({@link TxnBatches}: by count and by bytes),
   * {@link #IN_FLIGHT} at once (etcd commits concurrent transactions with one disk sync; one at a
   * time, a 10,000-task tick waited ~35 ms per batch). Batches touch different keys, so their order
   * does not matter. A batch that loses a race is written one by one so the rest still land; the
   * losers are decided again on the next tick, from the fresh view.
   */
  private long commit(List<Consumer<Txn>> writes) throws InterruptedException {
    List<java.util.concurrent.Future<TxnBatches.Outcome<Consumer<Txn>>>> results = new ArrayList<>();
    for (TxnBatches.Batch<Consumer<Txn>> batch : TxnBatches.of(store, writes, (txn, w) -> w.accept(txn), guard)) {
      results.add(writers.submit(batch::commit));
    }
    long revision = 0;
    Throwable failed = null;
    for (var r : results) {
      try {
        TxnBatches.Outcome<Consumer<Txn>> outcome = r.get();
        revision = Math.max(revision, outcome.revision());
        if (!outcome.conflicted().isEmpty()) {
          readIndex = true;
          markDirty();
        }
      } catch (java.util.concurrent.ExecutionException e) {
        readIndex = true;
        failed = failed == null ? e.getCause() : failed;
      }
    }
    if (failed != null) {
      // Decided again after the loop's back-off: a batch etcd refuses would be refused at once
      // again, and retrying without a pause spun the loop and the log.
      throw new IllegalStateException("a batch of writes failed: " + failed, failed);
    }
    return revision;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writers.shutdownNow();
    if (cache != null) {
      cache.close();
    }
    metrics.forget(); // no longer the leader's view
  }
}
