package io.shoal.control;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.WatchServiceResponse;
import io.shoal.common.errors.GrpcErrors;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WatchService: tells a client each time a service or one of its tasks changes, so that {@code
 * shoal service create} sees convergence when it is stored rather than at its next poll.
 *
 * <p>Each call has its own etcd watches, from the revision read when the call starts, of the
 * service's key, the scheduler's status of it (service_status/) and the tasks/ prefix; a task's
 * key does not name its service, so each task that changes is decoded to see whose it is. Responses carry only the revision: while the client has
 * not taken the last one (gRPC's isReady), later changes fold into one pending revision, so a slow
 * client holds one number here, never a queue.
 */
@Singleton
final class ServiceWatches {
  private static final Logger log = LoggerFactory.getLogger(ServiceWatches.class);
  /** Open calls per control; each holds etcd watches that see every task change. */
  static final int MAX_WATCHES = 1_000;

  private final EtcdStore store;
  private final ServiceQueries services;
  private final AtomicInteger open = new AtomicInteger();

  @Inject
  ServiceWatches(EtcdStore store, ServiceQueries services) {
    this.store = store;
    this.services = services;
  }

  /** Watches open now. */
  int open() {
    return open.get();
  }

  void watch(String reference, StreamObserver<WatchServiceResponse> response) {
    ServerCallStreamObserver<WatchServiceResponse> call = (ServerCallStreamObserver<WatchServiceResponse>) response;
    if (open.incrementAndGet() > MAX_WATCHES) {
      open.decrementAndGet();
      call.onError(Status.RESOURCE_EXHAUSTED
          .withDescription("control has " + MAX_WATCHES + " service watches open already; poll the service instead, or retry later")
          .asRuntimeException());
      return;
    }
    try {
      Service service = services.findStored(reference);
      long from = store.currentRevision();
      new OneWatch(service, call).start(from);
    } catch (RuntimeException e) {
      open.decrementAndGet();
      call.onError(GrpcErrors.toStatus(e));
    }
  }

  /** One call: its etcd watch and the revision it has yet to send. */
  private final class OneWatch {
    private final Service service;
    private final ServerCallStreamObserver<WatchServiceResponse> call;
    private final String serviceKey;
    private final String statusKey;
    private final String tasksPrefix;
    private List<Watch.Watcher> watchers = List.of();
    private long pending;
    private long sent;
    private boolean ended;

    OneWatch(Service service, ServerCallStreamObserver<WatchServiceResponse> call) {
      this.service = service;
      this.call = call;
      this.serviceKey = store.root() + Tables.SERVICES.name() + "/" + service.getId();
      this.statusKey = store.root() + Tables.SERVICE_STATUS.name() + "/" + service.getId();
      this.tasksPrefix = store.root() + Tables.TASKS.name() + "/";
    }

    void start(long fromRevision) {
      call.setOnCancelHandler(() -> end(null));
      call.setOnReadyHandler(this::drain);
      // Three narrow watches, not the whole root: etcd then sends this call only the service,
      // its status and tasks, not every session and node write. Their relative order does not
      // matter: a notice only says "read again", with the newest revision seen.
      List<Watch.Watcher> started = List.of(
          watch(serviceKey, false, fromRevision), watch(statusKey, false, fromRevision),
          watch(tasksPrefix, true, fromRevision));
      synchronized (this) {
        if (ended) {
          started.forEach(Watch.Watcher::close);
          return;
        }
        watchers = started;
        pending = fromRevision;
      }
      drain();
    }

    private Watch.Watcher watch(String key, boolean prefix, long fromRevision) {
      WatchOption option = WatchOption.builder()
          .isPrefix(prefix).withRevision(fromRevision + 1).withPrevKV(true).build();
      return store.client().getWatchClient().watch(
          ByteSequence.from(key, UTF_8), option, Watch.listener(this::onEvents, this::onWatchError));
    }

    private void onEvents(WatchResponse response) {
      long newest = 0;
      for (WatchEvent event : response.getEvents()) {
        String key = event.getKeyValue().getKey().toString(UTF_8);
        if (key.equals(serviceKey)) {
          if (event.getEventType() == WatchEvent.EventType.DELETE) {
            end(Status.NOT_FOUND.withDescription("service " + service.getSpec().getName() + " was removed"));
            return;
          }
          newest = Math.max(newest, event.getKeyValue().getModRevision());
        } else if (key.equals(statusKey) || key.startsWith(tasksPrefix) && ofThisService(event)) {
          // The scheduler's status of the service (its update status) is shown with it.
          newest = Math.max(newest, event.getKeyValue().getModRevision());
        }
      }
      if (newest > 0) {
        synchronized (this) {
          pending = Math.max(pending, newest);
        }
        drain();
      }
    }

    /** Whether the task changed (its value now, or before a delete) is this service's. */
    private boolean ofThisService(WatchEvent event) {
      ByteSequence value = event.getEventType() == WatchEvent.EventType.DELETE
          ? event.getPrevKV().getValue() : event.getKeyValue().getValue();
      try {
        return Task.parseFrom(value.getBytes()).getServiceId().equals(service.getId());
      } catch (InvalidProtocolBufferException e) {
        // Not readable (the store's readers count and log it): it might be this service's, and a
        // needless notice costs the client one read.
        return true;
      }
    }

    private void onWatchError(Throwable error) {
      log.warn("watch of service {} failed: {}", service.getId(), error.toString());
      end(Status.UNAVAILABLE.withDescription("control lost its etcd watch (" + error.getMessage() + "); watch again"));
    }

    /** Sends the pending revision if there is one and the client has taken the last. */
    private synchronized void drain() {
      if (ended || pending <= sent || !call.isReady()) {
        return;
      }
      sent = pending;
      call.onNext(WatchServiceResponse.newBuilder().setRevision(pending).build());
    }

    /** Ends the call: cancelled by the client ({@code status} null), or with {@code status}. */
    private void end(Status status) {
      List<Watch.Watcher> ws;
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
        ws = watchers;
        if (status != null) {
          call.onError(status.asRuntimeException());
        }
      }
      open.decrementAndGet();
      ws.forEach(Watch.Watcher::close);
    }
  }
}
