package io.shoal.common.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.TaskState;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class TaskStatesTest {
  @Test
  void theStatesPastRunningAreTerminal() {
    EnumSet<TaskState> terminal = EnumSet.noneOf(TaskState.class);
    Arrays.stream(TaskState.values()).filter(TaskStates::terminal).forEach(terminal::add);

    assertThat(terminal).containsExactlyInAnyOrder(TaskState.TASK_STATE_COMPLETE, TaskState.TASK_STATE_SHUTDOWN,
        TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_REJECTED, TaskState.TASK_STATE_REMOVE,
        TaskState.TASK_STATE_ORPHANED);
  }

  @Test
  void assignedIsFromAssignedOn() {
    assertThat(TaskStates.assigned(TaskState.TASK_STATE_PENDING)).isFalse();
    assertThat(TaskStates.assigned(TaskState.TASK_STATE_ASSIGNED)).isTrue();
    assertThat(TaskStates.assigned(TaskState.TASK_STATE_RUNNING)).isTrue();
    assertThat(TaskStates.assigned(TaskState.TASK_STATE_FAILED)).isTrue();
  }

  @Test
  void aStateThisBuildDoesNotKnowIsNeitherAssignedNorTerminal() {
    assertThat(TaskStates.terminal(TaskState.UNRECOGNIZED)).isFalse();
    assertThat(TaskStates.assigned(TaskState.UNRECOGNIZED)).isFalse();
  }
}
