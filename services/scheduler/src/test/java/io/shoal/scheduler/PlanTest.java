package io.shoal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import org.junit.jupiter.api.Test;

class PlanTest {
  private static final Task STORED = Task.newBuilder().setId("t1").setVersion(4)
      .setDesiredState(TaskState.TASK_STATE_RUNNING).build();

  @Test
  void aDeleteSupersedesAChangeOfTheSameTaskSoNoTransactionNamesItTwice() {
    Plan plan = new Plan();
    Task stopped = STORED.toBuilder().setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build();
    plan.update(stopped);

    plan.delete(plan.current(STORED));

    assertThat(plan.updates()).isEmpty();
    assertThat(plan.deletes()).containsExactly(stopped);
  }

  @Test
  void aDeleteTakenBackRestoresTheChange() {
    Plan plan = new Plan();
    Task stopped = STORED.toBuilder().setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build();
    plan.update(stopped);

    plan.allOrNothing(() -> {
      plan.delete(stopped);
      throw new IllegalStateException("boom");
    });

    assertThat(plan.updates()).containsExactly(stopped);
    assertThat(plan.deletes()).isEmpty();
  }
}
