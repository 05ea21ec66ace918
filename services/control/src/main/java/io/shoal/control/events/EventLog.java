package io.shoal.control.events;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.Message;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.shoal.api.v1.Event;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.WatchEventsRequest;
import io.shoal.api.v1.WatchEventsResponse;
import io.shoal.common.backoff.Backoff;
import io.shoal.common.errors.GrpcErrors;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Table;
import io.shoal.common.store.Tables;
import io.shoal.common.time.Timestamps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's events (WatchEvents): one etcd watch of the whole root, with each key's previous
 * value, turned into events ({@link EventMapper}) in etcd's order; the last {@link #KEPT} are kept
 * for callers that resume ({@code after_revision}) or look back ({@code since}), and each open
 * call gets them through its own bounded queue ({@link Subscription}), so a slow reader costs at
 * most {@link Subscription#MAX_PENDING} events here and is told to resume, never the others' time.
 */
@Singleton
public final class EventLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventLog.class);
  /** Events kept for late and resuming callers: about 5 MiB at ~500 bytes each. */
  static final int KEPT = 10_000;
  static final int MAX_SUBSCRIBERS = 1_000;
  /** New events that may wait for one caller beyond the kept ones it asked for. */
  public static final int MAX_QUEUED = Subscription.MAX_PENDING;

  private final EtcdStore store;
  private final Clock clock;
  private final Map<String, Table<?>> tables = new ConcurrentHashMap<>();
  private final Map<String, String> serviceNames = new ConcurrentHashMap<>();
  private final Map<String, String> nodeNames = new ConcurrentHashMap<>();
  private final Set<Subscription> subscribers = ConcurrentHashMap.newKeySet();
  private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "events-timer");
    t.setDaemon(true);
    return t;
  });
  private final EventMapper.Names names = new EventMapper.Names() {
    @Override
    public String service(String id) {
      return serviceNames.getOrDefault(id, "");
    }

    @Override
    public String node(String id) {
      return nodeNames.getOrDefault(id, "");
    }
  };

  // Guarded by this.
  private final ArrayDeque<Event> kept = new ArrayDeque<>();
  /** Events after this revision are all known here (kept, or dropped by filters of none). */
  private long knownAfter;
  private long lastRevision;
  private Watch.Watcher watcher;
  private boolean closed;

  @Inject
  public EventLog(EtcdStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    for (Table<?> t : List.of(Tables.SERVICES, Tables.SERVICE_STATUS, Tables.TASKS, Tables.NODES,
        Tables.NODE_REGISTRATIONS, Tables.NETWORKS, Tables.SECRETS, Tables.CONFIGS)) {
      tables.put(t.name(), t);
    }
  }

  /** Learns the names events need, then watches from now. */
  public EventLog start() {
    store.list(Tables.SERVICES).items().forEach(s -> serviceNames.put(s.getId(), s.getSpec().getName()));
    store.list(Tables.NODE_REGISTRATIONS).items().forEach(n -> nodeNames.put(n.getId(), n.getDescription().getHostname()));
    long from = store.currentRevision();
    synchronized (this) {
      knownAfter = from;
      lastRevision = from;
      watcher = watch(from + 1);
    }
    return this;
  }

  private Watch.Watcher watch(long fromRevision) {
    WatchOption option = WatchOption.builder().isPrefix(true).withRevision(fromRevision).withPrevKV(true).build();
    return store.client().getWatchClient().watch(io.etcd.jetcd.ByteSequence.from(store.root(), UTF_8), option,
        Watch.listener(this::onWatch, this::onWatchError));
  }

  private void onWatch(WatchResponse response) {
    Instant now = clock.instant();
    List<Event> batch = new ArrayList<>();
    for (WatchEvent event : response.getEvents()) {
      var kv = event.getKeyValue();
      String key = kv.getKey().toString(UTF_8);
      String path = key.substring(store.root().length());
      int slash = path.indexOf('/');
      Table<?> table = slash < 0 ? null : tables.get(path.substring(0, slash));
      if (table == null) {
        continue;
      }
      String id = path.substring(slash + 1);
      var prev = event.getPrevKV();
      Message before = prev == null || prev.getValue().isEmpty() ? null
          : table.decode(key, prev.getValue().getBytes(), prev.getModRevision());
      Message after = event.getEventType() == WatchEvent.EventType.PUT
          ? table.decode(key, kv.getValue().getBytes(), kv.getModRevision()) : null;
      learnNames(table, id, after);
      EventMapper.map(table.name(), id, before, after, names).ifPresent(e -> batch.add(
          e.setRevision(kv.getModRevision()).setTime(Timestamps.toTimestamp(now)).build()));
    }
    List<Subscription> targets;
    synchronized (this) {
      for (WatchEvent event : response.getEvents()) {
        lastRevision = Math.max(lastRevision, event.getKeyValue().getModRevision());
      }
      for (Event e : batch) {
        kept.addLast(e);
        if (kept.size() > KEPT) {
          knownAfter = kept.removeFirst().getRevision();
        }
      }
      backoff.reset();
      // Those subscribed before this batch was kept: a later one got it in its backlog.
      targets = List.copyOf(subscribers);
    }
    if (!batch.isEmpty()) {
      targets.forEach(s -> s.offer(batch));
    }
  }

  private void learnNames(Table<?> table, String id, Message after) {
    if (after instanceof Service s) {
      serviceNames.put(id, s.getSpec().getName());
    } else if (after instanceof NodeRegistration n) {
      nodeNames.put(id, n.getDescription().getHostname());
    }
  }

  private void onWatchError(Throwable error) {
    long from;
    synchronized (this) {
      if (closed) {
        return;
      }
      if (error instanceof CompactedException) {
        // The history to resume from is gone: events from there to now are lost to callers.
        long now = store.currentRevision();
        log.warn("events: etcd compacted revisions {} to {} before they were read; their events are lost",
            lastRevision + 1, now);
        knownAfter = now;
        kept.clear();
        lastRevision = now;
      }
      from = lastRevision + 1;
    }
    long delay = backoff.next().toMillis();
    log.warn("events: the etcd watch failed ({}); watching again from revision {} in {} ms", error.toString(), from,
        delay);
    timer.schedule(() -> {
      synchronized (this) {
        if (!closed) {
          watcher = watch(from);
        }
      }
    }, delay, TimeUnit.MILLISECONDS);
  }

  /** Opens one WatchEvents call: what it asks for of the kept events, then new ones. */
  public void subscribe(WatchEventsRequest request, ServerCallStreamObserver<WatchEventsResponse> call) {
    GrpcEventSink sink = new GrpcEventSink(call);
    try {
      subscribe(request, sink);
    } catch (RuntimeException e) {
      call.onError(GrpcErrors.toStatus(e));
    }
  }

  /**
   * Opens one subscription for {@code sink}: what {@code request} asks for of the kept events,
   * then new ones.
   *
   * @throws io.shoal.common.errors.ShoalException OUT_OF_RANGE when the events after the asked
   *     revision are no longer kept, RESOURCE_EXHAUSTED when too many are open, INVALID_ARGUMENT
   */
  public void subscribe(WatchEventsRequest request, EventSink sink) {
    EventFilter filter = EventFilter.of(request.getFiltersList());
    if (subscribers.size() >= MAX_SUBSCRIBERS) {
      throw new io.shoal.common.errors.ShoalException(Status.Code.RESOURCE_EXHAUSTED, "control has "
          + MAX_SUBSCRIBERS + " event streams open already; retry later");
    }
    Instant until = request.hasUntil() ? Timestamps.toInstant(request.getUntil()) : Instant.MAX;
    Subscription subscription = new Subscription(sink, filter, until, subscribers::remove);
    synchronized (this) {
      subscription.offerBacklog(backlog(request));
      if (!until.isAfter(clock.instant())) {
        subscription.start();
        subscription.complete();
        return;
      }
      subscribers.add(subscription);
    }
    subscription.start();
    if (until != Instant.MAX) {
      timer.schedule(subscription::complete, Duration.between(clock.instant(), until).toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** The newest revision the log has seen (a snapshot read at it or later is no older than the events). */
  public synchronized long lastRevision() {
    return lastRevision;
  }

  /** The kept events the request asks for. Guarded by this. */
  private List<Event> backlog(WatchEventsRequest request) {
    long after = request.getAfterRevision();
    if (after < 0) {
      throw new io.shoal.common.errors.InvalidArgumentException("after_revision", "must not be negative, got " + after);
    }
    if (after > 0) {
      if (after < knownAfter) {
        throw new io.shoal.common.errors.ShoalException(Status.Code.OUT_OF_RANGE, "events after revision " + after
            + " are no longer kept: this control keeps those after revision " + knownAfter
            + "; watch again with after_revision 0 (and since) to go on from what it has");
      }
      return kept.stream().filter(e -> e.getRevision() > after).toList();
    }
    if (request.hasSince()) {
      Instant since = Timestamps.toInstant(request.getSince());
      return kept.stream().filter(e -> !Timestamps.toInstant(e.getTime()).isBefore(since)).toList();
    }
    return List.of();
  }

  /** Open WatchEvents calls. */
  public int subscribers() {
    return subscribers.size();
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (watcher != null) {
        watcher.close();
      }
    }
    timer.shutdownNow();
    subscribers.forEach(s -> s.end(Status.UNAVAILABLE.withDescription("control is shutting down; watch again")));
  }
}
