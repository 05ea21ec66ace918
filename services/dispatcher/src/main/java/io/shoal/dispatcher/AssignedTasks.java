package io.shoal.dispatcher;

import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.common.task.TaskStates;

/** Which tasks a node is told about, and which changes of them it is sent again. */
final class AssignedTasks {
  private AssignedTasks() {}

  /** A node is told about a task while it should run or still has something to stop. */
  static boolean assignedTo(Task task, String nodeId) {
    return task.getNodeId().equals(nodeId)
        && TaskStates.assigned(task.getStatus().getState())
        && (task.getDesiredState() == TaskState.TASK_STATE_RUNNING || !TaskStates.terminal(task.getStatus().getState()));
  }

  /**
   * The part of a task an agent acts on; status changes alone are not pushed back to it (the
   * agent reported them), except the ones that add the task to its set or drop it.
   */
  static boolean sameAssignment(Task a, Task b) {
    return a.getDesiredState() == b.getDesiredState() && a.getNodeId().equals(b.getNodeId())
        && a.getSpec().equals(b.getSpec()) && assignedTo(a, a.getNodeId()) == assignedTo(b, b.getNodeId());
  }
}
