package io.shoal.common.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.Message;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.shoal.common.backoff.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An informer over several tables: lists them all at one revision, then watches the whole key
 * root from the next revision, so the cache misses no event and every table is seen at the same
 * point. A compacted watch lists again and reports the difference as changes.
 *
 * <p>The listener is called on the watch thread, once per batch of changes (one or more etcd
 * transactions). Listeners should only record what changed and wake their own loop.
 */
public final class StoreCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreCache.class);

  /** Receives the changes of one watch response, in revision order. */
  public interface Listener {
    void onChanges(List<Change<?>> changes);
  }

  private final EtcdStore store;
  private final Map<String, Table<?>> tables = new LinkedHashMap<>();
  private final Map<Table<?>, Map<String, Message>> objects = new ConcurrentHashMap<>();
  private final Listener listener;
  /**
   * Between attempts to list again after a failed watch: jittered, so the many caches an etcd
   * outage broke together (every service's, every node's mesh-proxy) do not list in lockstep.
   */
  private final Backoff relist = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));
  private final ScheduledExecutorService retry =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "store-cache-retry");
            t.setDaemon(true);
            return t;
          });
  private final Object lock = new Object();
  private final Object revisionReached = new Object();
  private Watch.Watcher watcher;
  private volatile long revision;
  private volatile boolean closed;

  public StoreCache(EtcdStore store, List<Table<?>> tables, Listener listener) {
    this.store = store;
    this.listener = listener;
    for (Table<?> table : tables) {
      this.tables.put(table.name(), table);
      objects.put(table, new ConcurrentHashMap<>());
    }
  }

  /** Lists every table and starts watching; the listener first sees every object as a Put. */
  public StoreCache start() {
    resync();
    return this;
  }

  /** A live, read-only view of one table. */
  @SuppressWarnings("unchecked")
  public <T extends Message> Map<String, T> view(Table<T> table) {
    return Collections.unmodifiableMap((Map<String, T>) (Map<String, ?>) objects.get(table));
  }

  public <T extends Message> Optional<T> get(Table<T> table, String id) {
    return Optional.ofNullable(view(table).get(id));
  }

  /** The newest revision the cache reflects. */
  public long revision() {
    return revision;
  }

  /**
   * Waits until the cache reflects {@code target} (e.g. the revision of one's own write), so a
   * reconciler never decides again on a view that lacks what it just wrote. False on timeout.
   */
  public boolean awaitRevision(long target, java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (revisionReached) {
      while (revision < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(revisionReached, left);
      }
    }
    return true;
  }

  private void advance(long newRevision) {
    synchronized (revisionReached) {
      if (newRevision > revision) {
        revision = newRevision;
      }
      revisionReached.notifyAll();
    }
  }

  private void resync() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (watcher != null) {
        watcher.close();
        watcher = null;
      }
      List<Change<?>> changes = new ArrayList<>();
      long at = 0;
      for (Table<?> table : tables.values()) {
        Listing<? extends Message> listing = store.list(table, at);
        at = listing.revision();
        changes.addAll(replace(table, listing.items()));
      }
      startWatch(at + 1);
      advance(at);
      deliver(changes);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private List<Change<?>> replace(Table<?> table, List<? extends Message> items) {
    Map<String, Message> current = objects.get(table);
    Map<String, Message> fresh = new HashMap<>();
    for (Message item : items) {
      fresh.put(((Table) table).idOf(item), item);
    }
    List<Change<?>> changes = new ArrayList<>();
    for (Map.Entry<String, Message> e : fresh.entrySet()) {
      Message previous = current.put(e.getKey(), e.getValue());
      if (previous == null || !previous.equals(e.getValue())) {
        changes.add(new Change.Put(table, e.getKey(), e.getValue(), previous));
      }
    }
    for (String id : new ArrayList<>(current.keySet())) {
      if (!fresh.containsKey(id)) {
        changes.add(new Change.Delete(table, id, current.remove(id)));
      }
    }
    return changes;
  }

  private void startWatch(long fromRevision) {
    WatchOption option =
        WatchOption.builder().isPrefix(true).withRevision(fromRevision).build();
    watcher =
        store.client().getWatchClient()
            .watch(store.key(""), option, Watch.listener(this::onWatch, this::onWatchError));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void onWatch(WatchResponse response) {
    List<Change<?>> changes = new ArrayList<>();
    synchronized (lock) {
      for (WatchEvent event : response.getEvents()) {
        var kv = event.getKeyValue();
        String path = kv.getKey().toString(UTF_8).substring(store.root().length());
        int slash = path.indexOf('/');
        if (slash < 0) {
          continue;
        }
        Table table = tables.get(path.substring(0, slash));
        if (table == null) {
          continue;
        }
        String id = path.substring(slash + 1);
        Map<String, Message> current = objects.get(table);
        if (event.getEventType() == WatchEvent.EventType.PUT) {
          Message value = table.decode(kv.getKey().toString(UTF_8), kv.getValue().getBytes(), kv.getModRevision());
          if (value != null) {
            changes.add(new Change.Put(table, id, value, current.put(id, value)));
          } else if (current.containsKey(id)) {
            // Overwritten with something unreadable: the object as it was is gone.
            changes.add(new Change.Delete(table, id, current.remove(id)));
          }
        } else if (event.getEventType() == WatchEvent.EventType.DELETE) {
          Message previous = current.remove(id);
          if (previous != null) {
            changes.add(new Change.Delete(table, id, previous));
          }
        }
      }
    }
    deliver(changes);
    // The events' own revisions, not the header's: the header may be ahead of what was sent.
    long newest = 0;
    for (WatchEvent event : response.getEvents()) {
      newest = Math.max(newest, event.getKeyValue().getModRevision());
    }
    advance(newest);
  }

  private void onWatchError(Throwable error) {
    if (closed) {
      return;
    }
    if (error instanceof CompactedException) {
      log.info("watch compacted; listing again");
      retry.schedule(this::safeResync, 0, TimeUnit.MILLISECONDS);
      return;
    }
    long delay = relist.next().toMillis();
    log.warn("watch failed ({}); listing again in {} ms", error.toString(), delay);
    retry.schedule(this::safeResync, delay, TimeUnit.MILLISECONDS);
  }

  private void safeResync() {
    try {
      resync();
      relist.reset();
    } catch (RuntimeException e) {
      long delay = relist.next().toMillis();
      log.warn("re-list failed ({}); retrying in {} ms", e.toString(), delay);
      retry.schedule(this::safeResync, delay, TimeUnit.MILLISECONDS);
    }
  }

  private void deliver(List<Change<?>> changes) {
    if (!changes.isEmpty()) {
      listener.onChanges(changes);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (watcher != null) {
        watcher.close();
      }
    }
    retry.shutdownNow();
  }
}
