package io.shoal.common.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many independent writes (each guarded by the version its writer read) packed into as few etcd
 * transactions as etcd takes: at most {@link #MAX_OPS} operations and {@link #MAX_BYTES} bytes
 * each. Both bounds matter: 100 tasks carrying a 16 KiB spec are 1.6 MiB, over etcd's 1.5 MiB
 * request limit, and a refused batch would fail every other write in it on every retry.
 *
 * <p>A batch that loses a race or is still refused for its size is written one write at a time,
 * so the rest still land; what cannot land is reported in the {@link Outcome}, never retried
 * here. etcd being unreachable is not an outcome: it is thrown, and the caller tries again later.
 */
public final class TxnBatches {
  private static final Logger log = LoggerFactory.getLogger(TxnBatches.class);
  /** etcd allows 128 operations per transaction by default ({@code --max-txn-ops}). */
  public static final int MAX_OPS = 100;
  /** etcd refuses requests over 1.5 MiB by default ({@code --max-request-bytes}); keep clear. */
  public static final long MAX_BYTES = 1L << 20;

  private TxnBatches() {}

  /**
   * Splits {@code items} into batches. {@code addTo} adds one item's guards and writes to a
   * transaction; {@code guard} is added to every transaction (e.g. a leader's fencing).
   */
  public static <T> List<Batch<T>> of(
      EtcdStore store, List<T> items, BiConsumer<Txn, T> addTo, Consumer<Txn> guard) {
    return of(store, items, addTo, guard, MAX_OPS, MAX_BYTES);
  }

  static <T> List<Batch<T>> of(
      EtcdStore store, List<T> items, BiConsumer<Txn, T> addTo, Consumer<Txn> guard, int maxOps, long maxBytes) {
    List<Batch<T>> batches = new ArrayList<>();
    Batch<T> current = new Batch<>(store, addTo, guard);
    for (T item : items) {
      Txn.Mark before = current.txn.mark();
      addTo.accept(current.txn, item);
      boolean full = current.txn.size() > maxOps || current.txn.bytes() > maxBytes;
      if (full && !current.items.isEmpty()) {
        current.txn.reset(before);
        batches.add(current);
        current = new Batch<>(store, addTo, guard);
        addTo.accept(current.txn, item);
      }
      current.items.add(item);
    }
    if (!current.items.isEmpty()) {
      batches.add(current);
    }
    return batches;
  }

  /** One transaction's worth of writes. */
  public static final class Batch<T> {
    private final EtcdStore store;
    private final BiConsumer<Txn, T> addTo;
    private final Consumer<Txn> guard;
    private final Txn txn;
    private final List<T> items = new ArrayList<>();

    private Batch(EtcdStore store, BiConsumer<Txn, T> addTo, Consumer<Txn> guard) {
      this.store = store;
      this.addTo = addTo;
      this.guard = guard;
      this.txn = store.txn();
      guard.accept(txn);
    }

    public List<T> items() {
      return items;
    }

    /**
     * Writes the batch in one transaction, or one write at a time after a lost race or a size
     * refusal. Throws only what a retry later may cure (etcd unreachable).
     */
    public Outcome<T> commit() {
      Outcome<T> outcome = new Outcome<>();
      try {
        long revision = txn.commit();
        items.forEach(item -> outcome.committed.add(new Committed<>(item, revision)));
        return outcome;
      } catch (ConflictException | RequestTooLargeException e) {
        if (items.size() == 1) {
          outcome.record(items.get(0), e);
          return outcome;
        }
        log.debug("a batch of {} writes was refused ({}); writing them one by one", items.size(), e.getMessage());
      }
      for (T item : items) {
        Txn single = store.txn();
        guard.accept(single);
        addTo.accept(single, item);
        try {
          outcome.committed.add(new Committed<>(item, single.commit()));
        } catch (ConflictException | RequestTooLargeException e) {
          outcome.record(item, e);
        }
      }
      return outcome;
    }
  }

  /** A write that landed, at the revision of its transaction. */
  public record Committed<T>(T item, long revision) {}

  /** What became of a batch's writes. */
  public static final class Outcome<T> {
    private final List<Committed<T>> committed = new ArrayList<>();
    private final List<T> conflicted = new ArrayList<>();
    private final List<T> refused = new ArrayList<>();

    private void record(T item, RuntimeException e) {
      if (e instanceof RequestTooLargeException) {
        StoreMetrics.REFUSED_WRITES.increment();
        log.warn("etcd refused a write even alone; it is dropped: {}", e.getMessage());
        refused.add(item);
      } else {
        conflicted.add(item);
      }
    }

    public List<Committed<T>> committed() {
      return committed;
    }

    /** Writes whose guard failed: someone changed their keys; read again and decide again. */
    public List<T> conflicted() {
      return conflicted;
    }

    /** Writes etcd refuses for their size even alone: they can never land as they are. */
    public List<T> refused() {
      return refused;
    }

    /** The newest revision written, 0 if none. */
    public long revision() {
      return committed.stream().mapToLong(Committed::revision).max().orElse(0);
    }
  }
}
