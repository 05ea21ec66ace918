package io.shoal.control;

import io.grpc.Status;
import io.shoal.api.v1.Service;
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
 * Completes the scheduler's automatic rollbacks. Only control writes a service's spec, so when
 * --update-failure-action rollback fires the scheduler only marks the update status
 * (ROLLBACK_STARTED, {@code spec_swap_pending}); this watcher sees the mark (list, then watch)
 * and swaps spec and previous_spec, clearing the mark in the same transaction, guarded by the
 * service's version, as SwarmKit's updater swaps them in its rollback.
 *
 * <p>Every control replica runs one: the guard lets one swap, and the others re-read and find
 * nothing left to do. A lost race is re-read, never overwritten; an etcd error is retried.
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

  /** Lists the services (swapping any marked already) and watches for new marks. */
  public RollbackSwapWatcher start() {
    cache = new StoreCache(store, List.of(Tables.SERVICES), this::onChanges).start();
    return this;
  }

  /** On the watch thread: only hands the marked services to the swapper. */
  private void onChanges(List<Change<?>> changes) {
    for (Change<?> change : changes) {
      if (change instanceof Change.Put<?> put && put.value() instanceof Service s && pending(s)) {
        swapper.execute(() -> swapOrRetry(s.getId()));
      }
    }
  }

  static boolean pending(Service s) {
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

  /** Swaps the service's specs if its swap is still pending, from a fresh read. Visible for tests. */
  void swap(String serviceId) {
    while (true) {
      Optional<Service> read = store.get(Tables.SERVICES, serviceId);
      if (read.isEmpty() || !pending(read.get())) {
        return; // deleted, swapped by another replica, or replaced by a new spec
      }
      Service current = read.get();
      UpdateStatus swapped = current.getUpdateStatus().toBuilder().clearSpecSwapPending().build();
      try {
        if (current.hasPreviousSpec()) {
          services.commitRollback(current, swapped);
        } else {
          pause(current, "service " + current.getSpec().getName() + " has no previous spec to roll back to");
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
          pause(current, e.getMessage());
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
  private void pause(Service current, String why) {
    String failure = current.getUpdateStatus().getMessage().replaceFirst("^update rolled back", "update paused");
    UpdateStatus status = UpdateStatus.newBuilder().setState(UpdateState.UPDATE_STATE_PAUSED)
        .setStartTime(current.getUpdateStatus().getStartTime())
        .setMessage(failure + "; " + why).build();
    store.txn().update(Tables.SERVICES, current.getId(), current.toBuilder().setUpdateStatus(status).build(),
        current.getVersion()).commit();
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
