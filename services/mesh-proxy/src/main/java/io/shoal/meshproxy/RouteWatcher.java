package io.shoal.meshproxy;

import com.google.protobuf.Message;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.common.store.Change;
import io.shoal.common.store.StoreCache;
import io.shoal.common.store.Tables;
import io.shoal.meshproxy.balance.BackendConnections;
import io.shoal.meshproxy.ports.PortListeners;
import io.shoal.meshproxy.routes.LiveRoutes;
import io.shoal.meshproxy.routes.PortKey;
import io.shoal.meshproxy.routes.Route;
import io.shoal.meshproxy.routes.RouteTable;
import io.shoal.meshproxy.routes.RouteTableBuilder;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's control loop: turns the {@link StoreCache}'s change batches into route tables.
 *
 * <p>The cache's watch thread only queues each batch and wakes the loop. The loop thread, the
 * only one touching the state below (so no locks), applies every queued batch to its copy of
 * the services and of the tasks that may serve, rebuilds the table with
 * {@link RouteTableBuilder}, publishes it in {@link LiveRoutes} and then opens and closes
 * listeners to match. Publishing first means a new listener finds its route from its first
 * connection. Tasks that left the table have their open connections drained
 * ({@link BackendConnections#retain}). Ports that could not be bound are retried every few seconds.
 */
@Singleton
public final class RouteWatcher implements StoreCache.Listener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouteWatcher.class);
  private static final long RETRY_SECONDS = 5;

  private final LiveRoutes routes;
  private final PortListeners listeners;
  private final BackendConnections connections;
  private final ScheduledThreadPoolExecutor loop;
  private final Queue<List<Change<?>>> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean tickQueued = new AtomicBoolean();
  private volatile boolean closed;

  // Owned by the loop thread.
  private final Map<String, Service> services = new HashMap<>();
  private final Map<String, Task> servingTasks = new HashMap<>();
  private ScheduledFuture<?> retry;

  @Inject
  public RouteWatcher(
      LiveRoutes routes, PortListeners listeners, BackendConnections connections) {
    this.routes = routes;
    this.listeners = listeners;
    this.connections = connections;
    this.loop = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "mesh-routes");
      t.setDaemon(true);
      return t;
    });
    loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Called on the cache's watch thread: records the batch and wakes the loop. */
  @Override
  public void onChanges(List<Change<?>> changes) {
    pending.add(changes);
    wake();
  }

  private void wake() {
    if (closed || !tickQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      loop.execute(this::tick);
    } catch (RejectedExecutionException e) {
      log.debug("route loop stopped; change ignored");
    }
  }

  private void tick() {
    // Cleared before draining: a batch queued from here on schedules another tick.
    tickQueued.set(false);
    try {
      for (List<Change<?>> batch; (batch = pending.poll()) != null; ) {
        batch.forEach(this::apply);
      }
      RouteTable next = RouteTableBuilder.build(services.values(), servingTasks.values());
      RouteTable previous = routes.current();
      if (!next.equals(previous)) {
        routes.publish(next);
        logDifferences(previous, next);
      }
      // After the publish: a task that left gets no new connection, then its open ones drain.
      connections.retain(next.backendTaskIds());
      listeners.reconcile(next);
      if (listeners.hasFailures()) {
        scheduleRetry();
      }
    } catch (RuntimeException e) {
      log.error("updating the routes failed; retrying in {}s", RETRY_SECONDS, e);
      scheduleRetry();
    }
  }

  private void apply(Change<?> change) {
    if (change.table() == Tables.SERVICES) {
      if (change instanceof Change.Put<?> put) {
        services.put(put.id(), (Service) put.value());
      } else {
        services.remove(change.id());
      }
    } else if (change.table() == Tables.TASKS) {
      Message value = change instanceof Change.Put<?> put ? put.value() : null;
      if (value instanceof Task task && RouteTableBuilder.isBackend(task)) {
        servingTasks.put(change.id(), task);
      } else {
        servingTasks.remove(change.id());
      }
    }
  }

  private void scheduleRetry() {
    if (retry == null && !closed) {
      retry = loop.schedule(() -> {
        retry = null;
        wake();
      }, RETRY_SECONDS, TimeUnit.SECONDS);
    }
  }

  private static void logDifferences(RouteTable previous, RouteTable next) {
    for (Route route : next.routes().values()) {
      Route before = previous.route(route.key());
      if (before == null || !before.serviceId().equals(route.serviceId())
          || before.targetPort() != route.targetPort()) {
        log.info("route {} -> service {} port {}: {}", route.key(), route.serviceName(),
            route.targetPort(), backends(route));
      } else if (!before.backends().equals(route.backends())) {
        log.info("route {} (service {}): {}", route.key(), route.serviceName(), backends(route));
      } else if (before.loadBalancing() != route.loadBalancing()
          || before.proxyProtocol() != route.proxyProtocol()) {
        log.info("route {} (service {}): {}, PROXY protocol {}", route.key(),
            route.serviceName(), route.loadBalancing(), route.proxyProtocol());
      } else {
        continue;
      }
      log.debug("route {} backends: {}", route.key(), route.backends());
    }
    for (PortKey key : previous.routes().keySet()) {
      if (!next.routes().containsKey(key)) {
        log.info("route {} removed (service {})", key, previous.route(key).serviceName());
      }
    }
    Set<String> known = new HashSet<>(previous.problems());
    for (String problem : next.problems()) {
      if (!known.contains(problem)) {
        log.warn("{}", problem);
      }
    }
  }

  private static String backends(Route route) {
    int n = route.backends().size();
    return n == 1 ? "1 backend" : n + " backends";
  }

  /** Stops the loop, letting a tick in progress finish. */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    loop.shutdown();
    if (!loop.awaitTermination(10, TimeUnit.SECONDS)) {
      log.warn("route loop did not stop in 10s");
      loop.shutdownNow();
    }
  }
}
