package io.shoal.dispatcher;

import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.time.Timestamps;
import java.time.Instant;
import java.util.Optional;

/**
 * Which tasks of a node that is down (or removed) to record as ORPHANED: those the scheduler
 * already told to stop (desired SHUTDOWN or REMOVE: they were replaced elsewhere) and whose last
 * known state could still be running on that node, ASSIGNED to RUNNING, the range SwarmKit's
 * dispatcher orphans. Their node cannot report how they end, so `service ps` shows "Orphaned"
 * instead of a stale "Running". SwarmKit waits 24 hours before it orphans a down node's tasks;
 * Shoal replaces them within seconds and says so at once. A task the scheduler still wants to run
 * there (its restart policy gave up on moving it) keeps its state, as in SwarmKit.
 */
final class OrphanedTasks {
  private OrphanedTasks() {}

  /**
   * The ORPHANED status to store for {@code task}, or empty.
   *
   * @param node the task's node registration as the dispatcher sees it; empty when removed
   */
  static Optional<TaskStatus> orphaned(Task task, Optional<NodeRegistration> node, Instant now) {
    if (task.getNodeId().isEmpty()
        || node.map(n -> n.getStatus().getState() != NodeState.NODE_STATE_DOWN).orElse(false)) {
      return Optional.empty();
    }
    TaskState desired = task.getDesiredState();
    if (desired != TaskState.TASK_STATE_SHUTDOWN && desired != TaskState.TASK_STATE_REMOVE) {
      return Optional.empty();
    }
    int state = task.getStatus().getStateValue();
    if (state < TaskState.TASK_STATE_ASSIGNED_VALUE || state > TaskState.TASK_STATE_RUNNING_VALUE) {
      return Optional.empty();
    }
    return Optional.of(task.getStatus().toBuilder()
        .setState(TaskState.TASK_STATE_ORPHANED)
        .setMessage(node.isPresent() ? "task belonged to a node that is down" : "task belonged to a node that was removed")
        .setTimestamp(Timestamps.toTimestamp(now))
        .build());
  }
}
