package io.shoal.scheduler.orchestrator;

import static io.shoal.scheduler.ClusterView.assigned;
import static io.shoal.scheduler.ClusterView.terminal;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.scheduler.ClusterView;
import io.shoal.scheduler.Plan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps one running task per slot 1..replicas of a replicated service (SwarmKit's
 * orchestrator/replicated): creates missing ones, replaces failed ones and ones on nodes that
 * went down, shuts down slots above the replica count, and rolls an update through the slots
 * one at a time, stop-first: the old task stops before its replacement is created.
 */
public final class ReplicatedOrchestrator {
  /** Slots updated at once (Swarm's --update-parallelism default). */
  static final int UPDATE_PARALLELISM = 1;

  private final TaskFactory factory;

  public ReplicatedOrchestrator(TaskFactory factory) {
    this.factory = factory;
  }

  public void reconcile(Service service, List<Task> tasks, ClusterView view, Plan plan) {
    long replicas = service.getSpec().getReplicated().getReplicas();
    Map<Long, List<Task>> bySlot = new TreeMap<>();
    for (Task t : tasks) {
      bySlot.computeIfAbsent(t.getSlot(), k -> new ArrayList<>()).add(plan.current(t));
    }
    for (long slot = 1; slot <= replicas; slot++) {
      bySlot.computeIfAbsent(slot, k -> new ArrayList<>());
    }
    List<Task> outdated = new ArrayList<>();
    int inFlight = 0;
    for (Map.Entry<Long, List<Task>> entry : bySlot.entrySet()) {
      long slot = entry.getKey();
      List<Task> slotTasks = entry.getValue();
      List<Task> live = slotTasks.stream()
          .filter(t -> t.getDesiredState() == TaskState.TASK_STATE_RUNNING)
          .sorted(Comparator.comparing((Task t) -> t.getCreateTime().getSeconds())
              .thenComparing(t -> t.getCreateTime().getNanos()).reversed())
          .toList();
      if (slot > replicas) {
        live.forEach(t -> shutDown(t, plan, "scaled down"));
        continue;
      }
      Task current = live.isEmpty() ? null : live.get(0);
      live.stream().skip(1).forEach(t -> shutDown(t, plan, "duplicate task in slot"));
      if (current != null && terminal(current.getStatus().getState())) {
        shutDown(current, plan, "task exited; replaced");
        current = null;
      } else if (current != null && assigned(current) && !view.nodeReady(current.getNodeId())) {
        shutDown(current, plan, "node is down; replaced");
        current = null;
      }
      if (current == null) {
        inFlight++;
        if (slotTasks.stream().noneMatch(t -> stopping(t, view))) {
          plan.create(factory.newTask(service, slot, ""));
        }
      } else if (TaskSpecs.dirty(current.getSpec(), service.getSpec())) {
        outdated.add(current);
      } else if (current.getStatus().getState() != TaskState.TASK_STATE_RUNNING) {
        inFlight++;
      }
    }
    for (Task old : outdated) {
      if (inFlight >= UPDATE_PARALLELISM) {
        break;
      }
      shutDown(old, plan, "updating to the new spec");
      inFlight++;
    }
  }

  /** A task that was told to stop and whose node still has to confirm it (stop-first). */
  static boolean stopping(Task t, ClusterView view) {
    return t.getDesiredState() != TaskState.TASK_STATE_RUNNING
        && assigned(t) && !terminal(t.getStatus().getState()) && view.nodeReady(t.getNodeId());
  }

  static void shutDown(Task task, Plan plan, String why) {
    if (task.getDesiredState() == TaskState.TASK_STATE_RUNNING) {
      plan.update(task.toBuilder().setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build());
    }
  }
}
