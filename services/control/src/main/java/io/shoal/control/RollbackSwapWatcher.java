package io.shoal.control;

import io.grpc.Status;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.Change;
import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.StoreCache;
import io.shoal.common.store.Tables;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the scheduler's automatic rollbacks. Only control writes a service, so when
 * --update-failure-action rollback fires the scheduler asks in its own key: its status about the
 * service's version says ROLLBACK_STARTED with {@code spec_swap_pending}. This watcher sees the
 * ask (list, then watch service_status/) and swaps spec and previous_spec in one transaction
 * guarded by that version, storing the asked status without the flag as the new version's, as
 * SwarmKit's updater swaps them in its rollback. A rollback that cannot be made (a port taken
 * since, a previous spec outside today's limits) pauses the update instead, saying why, in the
 * same way.
 *
 * <p>Every control replica runs one: the guard lets one swap, and the others re-read and find
 * the ask stale (it is about an older version now). A lost race is re-read, never overwritten;
 * an etcd error is retried.
 *
 * <pre>{@code
 * RollbackSwapWatcher watcher = component.rollbackSwapWatcher().start();
 * ...
 * watcher.close();
 * }</pre>
 */
public final class RollbackSwapWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RollbackSwapWatcher.class);
  static final long RETRY_SECONDS = 1;

  private final EtcdStore store;
  private final ServiceManager services;
  /** One thread: swaps never run concurrently within a replica. */
  private final ScheduledExecutorService swapper = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rollback-swap");
    t.setDaemon(true);
    return t;
  });
  private StoreCache cache;

  @Inject
  public RollbackSwapWatcher(EtcdStore store, ServiceManager services) {
    this.store = store;
    this.services = services;
  }

  /** Lists the scheduler's statuses (swapping any asked already) and watches for new asks. */
  public RollbackSwapWatcher start() {
    cache = new StoreCache(store, List.of(Tables.SERVICE_STATUS), this::onChanges).start();
    return this;
  }

  /** On the watch thread: only hands the asked rollbacks to the swapper. */
  private void onChanges(List<Change<?>> changes) {
    for (Change<?> change : changes) {
      if (change instanceof Change.Put<?> put && put.value() instanceof ServiceStatus s && asks(s)) {
        swapper.execute(() -> swapOrRetry(s.getServiceId()));
      }
    }
  }

  static boolean asks(ServiceStatus s) {
    return s.getUpdateStatus().getSpecSwapPending();
  }

  private void swapOrRetry(String serviceId) {
    try {
      swap(serviceId);
    } catch (RuntimeException e) {
      log.warn("could not complete the rollback of service {}; retrying in {}s: {}", serviceId, RETRY_SECONDS,
          e.toString());
      swapper.schedule(() -> swapOrRetry(serviceId), RETRY_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** Swaps the service's specs if the scheduler's ask is about it as it is now, from a fresh read. Visible for tests. */
  void swap(String serviceId) {
    while (true) {
      Optional<ServiceStatus> status = store.get(Tables.SERVICE_STATUS, serviceId).filter(RollbackSwapWatcher::asks);
      Optional<Service> read = store.get(Tables.SERVICES, serviceId);
      if (status.isEmpty() || read.isEmpty() || status.get().getServiceVersion() != read.get().getVersion()) {
        return; // deleted, swapped by another replica, or replaced by a new spec
      }
      Service current = read.get();
      UpdateStatus asked = status.get().getUpdateStatus();
      try {
        if (current.hasPreviousSpec()) {
          services.commitRollback(current, asked.toBuilder().clearSpecSwapPending().build());
        } else {
          pause(current, asked, "service " + current.getSpec().getName() + " has no previous spec to roll back to");
        }
        return;
      } catch (ConflictException e) {
        continue; // it changed since the read: read again
      } catch (ShoalException e) {
        if (e.code() != Status.Code.FAILED_PRECONDITION) {
          throw e;
        }
        // The previous spec's port is taken: the rollback can't happen; say so and stop there.
        try {
          pause(current, asked, e.getMessage());
          return;
        } catch (ConflictException lost) {
          continue;
        }
      }
    }
  }

  /**
   * The update stays paused on the failed spec, saying why it could not roll back: "update paused
   * due to failure or early termination of task ID; service web can't roll back: …".
   */
  private void pause(Service current, UpdateStatus asked, String why) {
    String failure = asked.getMessage().replaceFirst("^update rolled back", "update paused");
    services.commitStatus(current, UpdateStatus.newBuilder().setState(UpdateState.UPDATE_STATE_PAUSED)
        .setStartTime(asked.getStartTime()).setMessage(failure + "; " + why).build());
    log.warn("service {} ({}) can't roll back: {}", current.getSpec().getName(), current.getId(), why);
  }

  @Override
  public void close() {
    if (cache != null) {
      cache.close();
    }
    swapper.shutdownNow();
  }
}
