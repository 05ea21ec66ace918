package io.shoal.scheduler.orchestrator;

import static io.shoal.common.task.TaskStates.terminal;
import static io.shoal.scheduler.ClusterView.assigned;

import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.scheduler.ClusterView;
import io.shoal.scheduler.Plan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cleans up after tasks: those of a deleted service get desired state REMOVE and, like those a
 * scale-down removed, are deleted once their node confirms they stopped (or can't, being down);
 * each slot keeps a bounded history of finished tasks (Swarm's --task-history-limit).
 */
public final class TaskReaper {
  private final int historyLimit;

  public TaskReaper(int historyLimit) {
    this.historyLimit = historyLimit;
  }

  public void removeOrphans(List<Task> tasksOfDeletedService, ClusterView view, Plan plan) {
    for (Task t : tasksOfDeletedService) {
      Task current = plan.current(t);
      if (gone(current, view)) {
        plan.delete(current);
      } else if (current.getDesiredState() != TaskState.TASK_STATE_REMOVE) {
        plan.update(current.toBuilder().setDesiredState(TaskState.TASK_STATE_REMOVE).build());
      }
    }
  }

  /**
   * Deletes the tasks a scale-down gave desired REMOVE (SwarmKit's task reaper) once nothing runs
   * them: they leave no history, unlike tasks replaced in a slot that stays.
   */
  public void deleteRemoved(List<Task> tasks, ClusterView view, Plan plan) {
    for (Task t : tasks) {
      Task current = plan.current(t);
      if (current.getDesiredState() == TaskState.TASK_STATE_REMOVE && gone(current, view)) {
        plan.delete(current);
      }
    }
  }

  /** Nothing runs it any more: finished, never placed, or on a node that is down. */
  private static boolean gone(Task t, ClusterView view) {
    return terminal(t.getStatus().getState()) || !assigned(t) || !view.nodeReady(t.getNodeId());
  }

  public void trimHistory(List<Task> tasks, Plan plan) {
    Map<String, List<Task>> bySlot = new HashMap<>();
    for (Task t : tasks) {
      Task current = plan.current(t);
      if (current.getDesiredState() == TaskState.TASK_STATE_SHUTDOWN && terminal(current.getStatus().getState())) {
        String key = current.getSlot() == 0 ? "node:" + current.getNodeId() : "slot:" + current.getSlot();
        bySlot.computeIfAbsent(key, k -> new ArrayList<>()).add(current);
      }
    }
    for (List<Task> finished : bySlot.values()) {
      if (finished.size() <= historyLimit) {
        continue;
      }
      finished.sort(Comparator.comparing((Task t) -> t.getCreateTime().getSeconds())
          .thenComparing(t -> t.getCreateTime().getNanos()).reversed());
      finished.subList(historyLimit, finished.size()).forEach(plan::delete);
    }
  }
}
