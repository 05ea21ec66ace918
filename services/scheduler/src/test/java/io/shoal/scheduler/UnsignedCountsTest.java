package io.shoal.scheduler;

import static io.shoal.scheduler.Fixtures.nodes;
import static io.shoal.scheduler.Fixtures.ready;
import static io.shoal.scheduler.Fixtures.service;
import static io.shoal.scheduler.Fixtures.task;
import static io.shoal.scheduler.Fixtures.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.RestartPolicy;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.UpdateConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** uint64 fields read unsigned: 2^32 must not cast to 0, nor 2^63 and up read negative. */
class UnsignedCountsTest {
  private final Reconciler reconciler =
      Fixtures.reconciler(Clock.fixed(Instant.ofEpochSecond(1000), ZoneOffset.UTC), 5);

  @ParameterizedTest(name = "parallelism {0} updates every slot at once")
  @ValueSource(strings = {"2147483648", "4294967296", "9223372036854775808", "18446744073709551615"})
  void parallelismAboveIntRangeMeansAllAtOnce(String parallelism) {
    Service v1 = service("web", 4);
    Service v2 = RollingUpdateTest.v2(v1,
        UpdateConfig.newBuilder().setParallelism(Long.parseUnsignedLong(parallelism)).build(), 999);

    Plan plan = reconciler.reconcile(view(List.of(v2), RollingUpdateTest.oldTasks(v1, 4), RollingUpdateTest.fourNodes()));

    assertThat(plan.updates()).hasSize(4)
        .allSatisfy(t -> assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN));
  }

  @Test
  void aSlotAbove2To63IsScaledDownNotKept() {
    Service web = service("web", 2);
    List<Task> tasks = List.of(
        task("t1", web, 1, "n1", TaskState.TASK_STATE_RUNNING, 1),
        task("t2", web, 2, "n1", TaskState.TASK_STATE_RUNNING, 1),
        task("stray", web, Long.parseUnsignedLong("18446744073709551615"), "n1", TaskState.TASK_STATE_RUNNING, 1));

    Plan plan = reconciler.reconcile(view(List.of(web), tasks, nodes(ready("n1"))));

    assertThat(plan.creates()).isEmpty();
    assertThat(plan.updates()).singleElement().satisfies(t -> {
      assertThat(t.getId()).isEqualTo("stray");
      assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_REMOVE);
    });
  }

  @Test
  void maxAttemptsOf2To64Minus1IsAsGoodAsUnlimited() {
    Service web = service("web", 1);
    web = web.toBuilder().setSpec(web.getSpec().toBuilder().setRestartPolicy(RestartPolicy.newBuilder()
        .setMaxAttempts(-1L).setDelay(com.google.protobuf.Duration.getDefaultInstance()))).build();
    Task failed = task("t1", web, 1, "n1", TaskState.TASK_STATE_FAILED, 1).toBuilder()
        .addRestarts(com.google.protobuf.Timestamp.newBuilder().setSeconds(500)).build();

    Plan plan = reconciler.reconcile(view(List.of(web), List.of(failed), nodes(ready("n1"))));

    assertThat(plan.creates()).singleElement().satisfies(t -> assertThat(t.getSlot()).isEqualTo(1));
  }
}
