package io.shoal.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.Assignments;
import io.shoal.api.v1.AssignmentsType;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole set once, then only what the agent acts on that changed. */
class SentAssignmentsTest {
  private final SentAssignments sent = new SentAssignments();

  private static Task task(String id, TaskState desired, TaskState state) {
    return Task.newBuilder().setId(id).setNodeId("n1").setDesiredState(desired)
        .setStatus(TaskStatus.newBuilder().setState(state))
        .setSpec(ServiceSpec.newBuilder().setContainer(ContainerSpec.newBuilder().setImage("web:1"))).build();
  }

  private static Task running(String id) {
    return task(id, TaskState.TASK_STATE_RUNNING, TaskState.TASK_STATE_ASSIGNED);
  }

  private static List<String> ids(Assignments a) {
    return a.getTasksList().stream().map(Task::getId).toList();
  }

  @Test
  void theFirstMessageIsCompleteEvenWhenEmpty() {
    Assignments first = sent.next(List.of()).orElseThrow();

    assertThat(first.getType()).isEqualTo(AssignmentsType.ASSIGNMENTS_TYPE_COMPLETE);
    assertThat(first.getTasksList()).isEmpty();
  }

  @Test
  void laterMessagesCarryOnlyNewAndChangedTasksAndTheRemovedIds() {
    sent.next(List.of(running("a"), running("b")));

    Assignments added = sent.next(List.of(running("a"), running("b"), running("c"))).orElseThrow();
    assertThat(added.getType()).isEqualTo(AssignmentsType.ASSIGNMENTS_TYPE_INCREMENTAL);
    assertThat(ids(added)).containsExactly("c");
    assertThat(added.getRemovedTaskIdsList()).isEmpty();

    Task stopB = task("b", TaskState.TASK_STATE_SHUTDOWN, TaskState.TASK_STATE_RUNNING);
    Assignments changed = sent.next(List.of(running("a"), stopB)).orElseThrow();
    assertThat(ids(changed)).containsExactly("b");
    assertThat(changed.getTasks(0).getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN);
    assertThat(changed.getRemovedTaskIdsList()).containsExactly("c");
  }

  @Test
  void aStatusTheAgentReportedIsNotSentBack() {
    sent.next(List.of(running("a")));

    assertThat(sent.next(List.of(task("a", TaskState.TASK_STATE_RUNNING, TaskState.TASK_STATE_RUNNING)))).isEmpty();
  }

  @Test
  void aTaskThatEndsWhileDesiredShutdownLeavesTheSet() {
    Task stopping = task("a", TaskState.TASK_STATE_SHUTDOWN, TaskState.TASK_STATE_RUNNING);
    sent.next(List.of(stopping));

    // The session pushes the node's set; a stopped task desired SHUTDOWN is no longer in it.
    Assignments gone = sent.next(List.of()).orElseThrow();
    assertThat(gone.getTasksList()).isEmpty();
    assertThat(gone.getRemovedTaskIdsList()).containsExactly("a");
  }
}
