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
 * {@link #current(Task)}.
 */
public final class Plan {
  private final Map<String, Task> creates = new LinkedHashMap<>();
  private final Map<String, Task> updates = new LinkedHashMap<>();
  private final Map<String, Task> deletes = new LinkedHashMap<>();
  private final Map<String, Service> serviceUpdates = new LinkedHashMap<>();
  private Instant wakeAt;

  /**
   * Records a service's new update status. The scheduler writes nothing else of a service, and
   * only guarded by the version it read (control owns the spec).
   */
  public void updateService(Service changed) {
    serviceUpdates.put(changed.getId(), changed);
  }

  public Collection<Service> serviceUpdates() {
    return serviceUpdates.values();
  }

  /** Asks for another pass at {@code at} even if nothing changes (a restart delay expires). */
  public void wakeAt(Instant at) {
    if (wakeAt == null || at.isBefore(wakeAt)) {
      wakeAt = at;
    }
  }

  /** The earliest time a pass is due without a change in etcd. */
  public Optional<Instant> wakeAt() {
    return Optional.ofNullable(wakeAt);
  }

  public void create(Task task) {
    creates.put(task.getId(), task);
  }

  /** Records {@code changed} as the new value of a stored task, or of one created in this plan. */
  public void update(Task changed) {
    if (creates.containsKey(changed.getId())) {
      creates.put(changed.getId(), changed);
    } else {
      updates.put(changed.getId(), changed);
    }
  }

  public void delete(Task task) {
    deletes.put(task.getId(), task);
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
