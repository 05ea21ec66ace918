package io.shoal.scheduler.orchestrator;

import static io.shoal.common.task.TaskStates.terminal;
import static io.shoal.scheduler.ClusterView.assigned;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.scheduler.ClusterView;
import io.shoal.scheduler.Plan;
import io.shoal.scheduler.StoredValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps one running task per slot 1..replicas of a replicated service (SwarmKit's
 * orchestrator/replicated): creates missing ones, replaces failed ones and ones on nodes that
 * went down as their restart policy says, removes tasks outside slots 1..replicas (desired REMOVE,
 * as SwarmKit's scale-down; slots are uint64, compared unsigned), and rolls an update through the slots
 * one at a time: stop-first (the default) stops the old task before its replacement is created;
 * start-first keeps the old task running until its replacement runs.
 */
public final class ReplicatedOrchestrator {
  private final TaskFactory factory;
  private final RestartSupervisor restarts;
  private final UpdateSupervisor updates;

  public ReplicatedOrchestrator(TaskFactory factory, RestartSupervisor restarts, UpdateSupervisor updates) {
    this.factory = factory;
    this.restarts = restarts;
    this.updates = updates;
  }

  public void reconcile(Service service, List<Task> tasks, ClusterView view, Plan plan) {
    // At most StoredValues.MAX_REPLICAS (checked before): one map entry per slot.
    long replicas = service.getSpec().getReplicated().getReplicas();
    // Slots are uint64: 2^63 and up read negative, and must sort (and scale down) as the highest.
    Map<Long, List<Task>> bySlot = new TreeMap<>(Long::compareUnsigned);
    for (Task t : tasks) {
      bySlot.computeIfAbsent(t.getSlot(), k -> new ArrayList<>()).add(plan.current(t));
    }
    for (long slot = 1; slot <= replicas; slot++) {
      bySlot.computeIfAbsent(slot, k -> new ArrayList<>());
    }
    boolean startFirst = UpdateSupervisor.startFirst(service);
    List<Task> outdated = new ArrayList<>();
    int inFlight = 0;
    for (Map.Entry<Long, List<Task>> entry : bySlot.entrySet()) {
      long slot = entry.getKey();
      boolean outOfRange = slot == 0 || Long.compareUnsigned(slot, replicas) > 0;
      List<Task> slotTasks = entry.getValue();
      List<Task> live = new ArrayList<>();
      RestartSupervisor.Exited exited = null;
      for (Task t : newestFirst(slotTasks)) {
        if (t.getDesiredState() != TaskState.TASK_STATE_RUNNING) {
          continue;
        }
        if (outOfRange) {
          remove(t, plan); // SwarmKit's scale-down: the slot goes, the reaper deletes the task once stopped
        } else if (terminal(t.getStatus().getState())) {
          // Only the slot's newest task is restarted; an older one was already replaced.
          if (exited == null && live.isEmpty()) {
            exited = restarts.onExit(t, service, plan);
          } else {
            shutDown(t, plan, "replaced");
          }
        } else if (assigned(t) && !view.nodeReady(t.getNodeId())) {
          // Its node is down: the restart policy decides, as for an ended task.
          if (exited == null && live.isEmpty()) {
            exited = restarts.onNodeDown(t, view.nodes().get(t.getNodeId()), service, plan);
          } else {
            shutDown(t, plan, "node is down; replaced");
          }
        } else if (assigned(t) && view.nodeDrained(t.getNodeId()) && !startFirst) {
          shutDown(t, plan, "node is drained; moved"); // stop-first: the new task starts once it stopped
        } else {
          live.add(t);
        }
      }
      if (outOfRange) {
        continue;
      }
      if (exited == null && live.isEmpty()) {
        // A task told to shut down when its node went down still holds the slot while its
        // restart delay runs: the policy decides again on each pass.
        Task newest = newestFirst(slotTasks).stream().findFirst().orElse(null);
        if (newest != null && lostOnDownNode(newest, view)) {
          exited = restarts.onNodeDown(newest, view.nodes().get(newest.getNodeId()), service, plan);
        }
      }
      if (exited != null) {
        // An older live task (start-first) keeps serving while the slot restarts.
        if (exited.replaceNow()) {
          plan.create(restarted(factory.newTask(service, slot, ""), exited));
        }
        if (exited.replaceNow() || exited.waiting()) {
          inFlight++;
        }
        continue;
      }
      if (live.isEmpty()) {
        inFlight++;
        if (slotTasks.stream().noneMatch(t -> stopping(plan.current(t), view))) {
          plan.create(factory.newTask(service, slot, ""));
        }
        continue;
      }
      Task current = live.get(0);
      if (assigned(current) && view.nodeDrained(current.getNodeId())) {
        // Start-first drain: a replacement starts elsewhere; the drained task stops once it runs.
        plan.create(factory.newTask(service, slot, ""));
        inFlight++;
        continue;
      }
      boolean currentDirty = TaskSpecs.dirty(current, service.getSpec(), view);
      boolean currentRunning = current.getStatus().getState() == TaskState.TASK_STATE_RUNNING;
      if (live.size() > 1) {
        if (startFirst && !currentDirty && !currentRunning) {
          // Start-first: the replacement is starting; the old task keeps serving until it runs.
          inFlight++;
          continue;
        }
        live.subList(1, live.size()).forEach(t -> shutDown(t, plan, "replaced"));
      }
      if (currentDirty) {
        outdated.add(current);
      } else if (!currentRunning) {
        inFlight++;
      }
    }
    int allowed = updates.allowed(service, tasks.stream().map(plan::current).toList(), StoredValues.saturatedInt(replicas),
        outdated.size(), inFlight, plan);
    for (Task old : outdated) {
      if (allowed-- <= 0) {
        break;
      }
      if (startFirst) {
        plan.create(factory.newTask(service, old.getSlot(), ""));
      } else {
        shutDown(old, plan, "updating to the new spec");
      }
    }
  }

  static Task restarted(Task fresh, RestartSupervisor.Exited exited) {
    return exited == null || exited.restarts().isEmpty() ? fresh : fresh.toBuilder().addAllRestarts(exited.restarts()).build();
  }

  static List<Task> newestFirst(List<Task> tasks) {
    return tasks.stream()
        .sorted(Comparator.comparing((Task t) -> t.getCreateTime().getSeconds())
            .thenComparing(t -> t.getCreateTime().getNanos()).reversed())
        .toList();
  }

  /** A task that was told to stop and whose node still has to confirm it (stop-first). */
  static boolean stopping(Task t, ClusterView view) {
    return t.getDesiredState() != TaskState.TASK_STATE_RUNNING
        && assigned(t) && !terminal(t.getStatus().getState()) && view.nodeReady(t.getNodeId());
  }

  /**
   * Told to shut down, its node down before it could confirm (the dispatcher records such a task
   * ORPHANED): the slot's last holder.
   */
  static boolean lostOnDownNode(Task t, ClusterView view) {
    TaskState state = t.getStatus().getState();
    return t.getDesiredState() == TaskState.TASK_STATE_SHUTDOWN && assigned(t) && !view.nodeReady(t.getNodeId())
        && (!terminal(state) || state == TaskState.TASK_STATE_ORPHANED);
  }

  /** Desired REMOVE: a task whose slot is gone (scale-down), deleted by the reaper once stopped. */
  static void remove(Task task, Plan plan) {
    if (task.getDesiredState() == TaskState.TASK_STATE_RUNNING) {
      plan.update(task.toBuilder().setDesiredState(TaskState.TASK_STATE_REMOVE).build());
    }
  }

  static void shutDown(Task task, Plan plan, String why) {
    if (task.getDesiredState() == TaskState.TASK_STATE_RUNNING) {
      plan.update(task.toBuilder().setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build());
    }
  }
}
