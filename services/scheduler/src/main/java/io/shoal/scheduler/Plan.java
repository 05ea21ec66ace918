package io.shoal.scheduler;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The writes one reconciliation decides: new tasks, changed tasks (guarded by the version they
 * were read at) and deleted ones. Later steps see earlier steps' decisions through
 * {@link #current(Task)}. A step that may fail runs through {@link #allOrNothing}, which takes
 * back what it recorded when it throws, so one service's failure leaves no half-made decision.
 */
public final class Plan {
  private final Map<String, Task> creates = new LinkedHashMap<>();
  private final Map<String, Task> updates = new LinkedHashMap<>();
  private final Map<String, Task> deletes = new LinkedHashMap<>();
  private final Map<String, Service> serviceUpdates = new LinkedHashMap<>();
  private Instant wakeAt;
  /** While {@link #allOrNothing} runs: how to take back each change, newest last; else null. */
  private List<Runnable> undo;

  /**
   * Records a service's new update status or reconcile error: the scheduler writes them to its
   * own key, {@code service_status/<id>}, about the service's version (control owns the service).
   */
  public void updateService(Service changed) {
    put(serviceUpdates, changed.getId(), changed);
  }

  /** The service as this plan leaves it. */
  public Service current(Service service) {
    return serviceUpdates.getOrDefault(service.getId(), service);
  }

  public Collection<Service> serviceUpdates() {
    return serviceUpdates.values();
  }

  /** Asks for another pass at {@code at} even if nothing changes (a restart delay expires). */
  public void wakeAt(Instant at) {
    if (wakeAt == null || at.isBefore(wakeAt)) {
      Instant previous = wakeAt;
      journal(() -> wakeAt = previous);
      wakeAt = at;
    }
  }

  /** The earliest time a pass is due without a change in etcd. */
  public Optional<Instant> wakeAt() {
    return Optional.ofNullable(wakeAt);
  }

  public void create(Task task) {
    put(creates, task.getId(), task);
  }

  /**
   * Records {@code changed} as the new value of a stored task, or of one created in this plan.
   * A task this plan deletes cannot change too: etcd refuses a transaction that names one key
   * twice, and the whole batch with it, on every pass.
   */
  public void update(Task changed) {
    if (deletes.containsKey(changed.getId())) {
      throw new IllegalStateException("task " + changed.getId() + " is deleted by this pass; it cannot be changed too");
    }
    if (creates.containsKey(changed.getId())) {
      put(creates, changed.getId(), changed);
    } else {
      put(updates, changed.getId(), changed);
    }
  }

  /**
   * Records the deletion of a stored task. It supersedes a change this plan recorded for it: etcd
   * refuses a transaction that names one key twice, and the delete is guarded by the version read.
   */
  public void delete(Task task) {
    Task changed = updates.remove(task.getId());
    if (changed != null) {
      journal(() -> updates.put(task.getId(), changed));
    }
    put(deletes, task.getId(), task);
  }

  /** Whether this plan deletes {@code task}. */
  public boolean deletes(Task task) {
    return deletes.containsKey(task.getId());
  }

  /**
   * Runs {@code step} on this plan. If it throws, every change it recorded is taken back and the
   * exception returned; the plan is then as it was before. Not nested.
   */
  public Optional<RuntimeException> allOrNothing(Runnable step) {
    if (undo != null) {
      throw new IllegalStateException("allOrNothing does not nest");
    }
    undo = new ArrayList<>();
    try {
      step.run();
      return Optional.empty();
    } catch (RuntimeException e) {
      for (int i = undo.size() - 1; i >= 0; i--) {
        undo.get(i).run();
      }
      return Optional.of(e);
    } finally {
      undo = null;
    }
  }

  private <V> void put(Map<String, V> map, String key, V value) {
    V previous = map.put(key, value);
    journal(() -> {
      if (previous == null) {
        map.remove(key);
      } else {
        map.put(key, previous);
      }
    });
  }

  private void journal(Runnable takeBack) {
    if (undo != null) {
      undo.add(takeBack);
    }
  }

  /** The task as this plan leaves it. */
  public Task current(Task task) {
    Task planned = updates.get(task.getId());
    if (planned == null) {
      planned = creates.get(task.getId());
    }
    return planned == null ? task : planned;
  }

  public Collection<Task> creates() {
    return creates.values();
  }

  public Collection<Task> updates() {
    return updates.values();
  }

  public Collection<Task> deletes() {
    return deletes.values();
  }

  public boolean isEmpty() {
    return creates.isEmpty() && updates.isEmpty() && deletes.isEmpty() && serviceUpdates.isEmpty();
  }

  public int size() {
    return creates.size() + updates.size() + deletes.size() + serviceUpdates.size();
  }

  public List<Task> createdAndUpdated() {
    List<Task> all = new ArrayList<>(creates.values());
    all.addAll(updates.values());
    return all;
  }
}
