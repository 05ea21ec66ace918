package io.shoal.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.NodeStatus;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.time.Timestamps;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OrphanedTasksTest {
  private static final Instant NOW = Instant.parse("2026-12-05T01:00:00Z");

  private static Optional<NodeRegistration> node(NodeState state) {
    return Optional.of(NodeRegistration.newBuilder().setId("n1")
        .setStatus(NodeStatus.newBuilder().setState(state)).build());
  }

  private static Task task(TaskState desired, TaskState state) {
    return Task.newBuilder().setId("t1").setNodeId("n1").setDesiredState(desired)
        .setStatus(TaskStatus.newBuilder().setState(state).setContainerId("c1")
            .setTimestamp(Timestamps.toTimestamp(NOW.minusSeconds(60)))).build();
  }

  @ParameterizedTest
  @EnumSource(value = TaskState.class, names = {"TASK_STATE_ASSIGNED", "TASK_STATE_ACCEPTED", "TASK_STATE_PREPARING",
      "TASK_STATE_STARTING", "TASK_STATE_RUNNING"})
  void aTaskToldToStopOnADownNodeIsOrphanedNow(TaskState state) {
    Optional<TaskStatus> orphaned = OrphanedTasks.orphaned(task(TaskState.TASK_STATE_SHUTDOWN, state),
        node(NodeState.NODE_STATE_DOWN), NOW);

    assertThat(orphaned).hasValueSatisfying(s -> {
      assertThat(s.getState()).isEqualTo(TaskState.TASK_STATE_ORPHANED);
      assertThat(s.getMessage()).isEqualTo("task belonged to a node that is down");
      assertThat(Timestamps.toInstant(s.getTimestamp())).isEqualTo(NOW);
      assertThat(s.getContainerId()).isEqualTo("c1");
    });
  }

  @ParameterizedTest
  @EnumSource(value = TaskState.class, names = {"TASK_STATE_SHUTDOWN", "TASK_STATE_REMOVE"})
  void aRemovedNodesTasksAreOrphanedToo(TaskState desired) {
    assertThat(OrphanedTasks.orphaned(task(desired, TaskState.TASK_STATE_RUNNING), Optional.empty(), NOW))
        .hasValueSatisfying(s -> assertThat(s.getMessage()).isEqualTo("task belonged to a node that was removed"));
  }

  @ParameterizedTest
  @EnumSource(value = NodeState.class, names = {"NODE_STATE_READY", "NODE_STATE_UNKNOWN"})
  void aNodeNotDownKeepsItsTasksStates(NodeState state) {
    assertThat(OrphanedTasks.orphaned(task(TaskState.TASK_STATE_SHUTDOWN, TaskState.TASK_STATE_RUNNING), node(state), NOW))
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = TaskState.class, names = {"TASK_STATE_PENDING", "TASK_STATE_COMPLETE", "TASK_STATE_SHUTDOWN",
      "TASK_STATE_FAILED", "TASK_STATE_REJECTED", "TASK_STATE_ORPHANED"})
  void aTaskThatCouldNotBeRunningThereKeepsItsState(TaskState state) {
    assertThat(OrphanedTasks.orphaned(task(TaskState.TASK_STATE_SHUTDOWN, state), node(NodeState.NODE_STATE_DOWN), NOW))
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = TaskState.class, names = {"TASK_STATE_RUNNING", "TASK_STATE_COMPLETE"})
  void aTaskTheSchedulerStillWantsThereKeepsItsState(TaskState desired) {
    assertThat(OrphanedTasks.orphaned(task(desired, TaskState.TASK_STATE_RUNNING), node(NodeState.NODE_STATE_DOWN), NOW))
        .isEmpty();
  }
}
