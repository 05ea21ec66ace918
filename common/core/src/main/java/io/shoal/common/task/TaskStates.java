package io.shoal.common.task;

import io.shoal.api.v1.TaskState;

/**
 * Where a {@link TaskState} stands in a task's life, which only moves forward (objects.proto lists
 * the states in order): the scheduler's part up to ASSIGNED, the agent's up to RUNNING, then the
 * states a task ends in.
 */
public final class TaskStates {
  private TaskStates() {}

  /**
   * Past RUNNING: the task has ended (complete, shutdown, failed, rejected, orphaned) or, as a
   * desired state, is to be stopped (shutdown, remove). A value this build does not know is not
   * terminal.
   */
  public static boolean terminal(TaskState state) {
    return state != TaskState.UNRECOGNIZED && state.getNumber() > TaskState.TASK_STATE_RUNNING_VALUE;
  }

  /** Placed on a node: ASSIGNED or later. */
  public static boolean assigned(TaskState state) {
    return state != TaskState.UNRECOGNIZED && state.getNumber() >= TaskState.TASK_STATE_ASSIGNED_VALUE;
  }
}
