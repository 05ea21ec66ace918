package io.shoal.agent.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.api.v1.TaskStatusUpdate;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StatusQueueTest {
  private final StatusQueue queue = new StatusQueue();

  private static TaskStatus status(TaskState state) {
    return TaskStatus.newBuilder().setState(state).build();
  }

  @Test
  void whileLiveEveryReportIsKeptInOrder() {
    AtomicInteger notified = new AtomicInteger();
    queue.onReport(notified::incrementAndGet);
    queue.live(true);

    queue.report("a", status(TaskState.TASK_STATE_ACCEPTED));
    queue.report("b", status(TaskState.TASK_STATE_ACCEPTED));
    queue.report("a", status(TaskState.TASK_STATE_PREPARING));

    assertThat(notified).hasValue(3);
    assertThat(queue.drain()).extracting(TaskStatusUpdate::getTaskId, u -> u.getStatus().getState())
        .containsExactly(
            tuple("a", TaskState.TASK_STATE_ACCEPTED),
            tuple("b", TaskState.TASK_STATE_ACCEPTED),
            tuple("a", TaskState.TASK_STATE_PREPARING));
    assertThat(queue.drain()).isEmpty();
  }

  @Test
  void whileDownOnlyTheLatestReportPerTaskIsKept() {
    queue.live(true);
    queue.report("a", status(TaskState.TASK_STATE_ACCEPTED));
    queue.report("b", status(TaskState.TASK_STATE_ACCEPTED));
    queue.live(false);
    queue.report("a", status(TaskState.TASK_STATE_PREPARING));
    queue.report("c", status(TaskState.TASK_STATE_RUNNING));
    queue.report("a", status(TaskState.TASK_STATE_STARTING));

    assertThat(queue.drain()).extracting(TaskStatusUpdate::getTaskId, u -> u.getStatus().getState())
        .containsExactly(
            tuple("b", TaskState.TASK_STATE_ACCEPTED),
            tuple("c", TaskState.TASK_STATE_RUNNING),
            tuple("a", TaskState.TASK_STATE_STARTING));
  }

  @Test
  void whileTheDispatcherReadsSlowlyTheQueueKeepsAboutOneReportPerTask() {
    queue.live(true);
    for (int round = 0; round < 50; round++) {
      for (int task = 0; task < 100; task++) {
        queue.report("t" + task, status(TaskState.TASK_STATE_RUNNING).toBuilder().setMessage("round " + round).build());
      }
    }

    assertThat(queue.size()).isLessThanOrEqualTo(StatusQueue.COMPACT_AT);
    assertThat(queue.drain()).filteredOn(u -> u.getTaskId().equals("t7")).last()
        .extracting(u -> u.getStatus().getMessage()).isEqualTo("round 49");
  }

  @Test
  void textTheDispatcherWouldRefuseIsCutToFit() {
    queue.live(true);
    queue.report("a", status(TaskState.TASK_STATE_FAILED).toBuilder().setErr("é".repeat(10_000))
        .setMessage("m".repeat(5_000)).build());

    TaskStatus sent = queue.drain().get(0).getStatus();
    assertThat(sent.getState()).isEqualTo(TaskState.TASK_STATE_FAILED);
    assertThat(sent.getErrBytes().size()).isLessThanOrEqualTo(ReportLimits.MAX_ERR_BYTES);
    assertThat(sent.getMessageBytes().size()).isLessThanOrEqualTo(ReportLimits.MAX_MESSAGE_BYTES);
    assertThat(sent.getErr()).startsWith("éé").endsWith("…");
  }
}
