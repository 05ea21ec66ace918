package io.shoal.scheduler;

import static io.shoal.scheduler.Fixtures.nodes;
import static io.shoal.scheduler.Fixtures.ready;
import static io.shoal.scheduler.Fixtures.service;
import static io.shoal.scheduler.Fixtures.task;
import static io.shoal.scheduler.Fixtures.view;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.UpdateConfig;
import io.shoal.api.v1.UpdateFailureAction;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The update planner: parallelism, delay, failure actions, rollback, completion (pure). */
class RollingUpdateTest {
  static final long NOW = 1000;
  private final Reconciler reconciler =
      Fixtures.reconciler(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC), 5);

  static Timestamp at(long s) {
    return Timestamp.newBuilder().setSeconds(s).build();
  }

  static Duration secs(long s) {
    return Duration.newBuilder().setSeconds(s).build();
  }

  /** v1 → v2 (image change), updated by control at {@code updatedAt}, with {@code config}. */
  static Service v2(Service v1, UpdateConfig config, long updatedAt) {
    return v1.toBuilder().setPreviousSpec(v1.getSpec()).setUpdateTime(at(updatedAt))
        .setSpec(v1.getSpec().toBuilder().setContainer(ContainerSpec.newBuilder().setImage("img:2"))
            .setUpdateConfig(config)).build();
  }

  static Service withStatus(Service s, UpdateState state, long startedAt) {
    return s.toBuilder().setUpdateStatus(UpdateStatus.newBuilder().setState(state).setStartTime(at(startedAt))).build();
  }

  static Task running(String id, Service s, long slot, long createdAt, long runningSince) {
    Task t = task(id, s, slot, "n" + slot, TaskState.TASK_STATE_RUNNING, createdAt);
    return t.toBuilder().setStatus(t.getStatus().toBuilder().setTimestamp(at(runningSince))).build();
  }

  static List<Task> oldTasks(Service v1, int n) {
    List<Task> tasks = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      tasks.add(running("old" + i, v1, i, 1, 2));
    }
    return tasks;
  }

  static List<io.shoal.api.v1.Node> fourNodes() {
    return nodes(ready("n1"), ready("n2"), ready("n3"), ready("n4"));
  }

  @ParameterizedTest(name = "parallelism {0} stops {1} of 4 old tasks at once")
  @CsvSource({"1, 1", "2, 2", "3, 3", "0, 4"})
  void parallelismBoundsTheSlotsUpdatingAtOnce(long parallelism, int stopped) {
    Service v1 = service("web", 4);
    Service v2 = v2(v1, UpdateConfig.newBuilder().setParallelism(parallelism).build(), 999);

    Plan plan = reconciler.reconcile(view(List.of(v2), oldTasks(v1, 4), fourNodes()));

    assertThat(plan.updates()).hasSize(stopped)
        .allSatisfy(t -> assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN));
    assertThat(plan.serviceUpdates()).singleElement().satisfies(s -> {
      assertThat(s.getUpdateStatus().getState()).isEqualTo(UpdateState.UPDATE_STATE_UPDATING);
      assertThat(s.getUpdateStatus().getStartTime()).isEqualTo(at(999));
      assertThat(s.getUpdateStatus().getMessage()).isEqualTo("update in progress");
    });
  }

  @Test
  void aSlotHoldsItsPlaceForTheUpdateDelayAfterItsNewTaskRuns() {
    Service v1 = service("web", 2);
    Service v2 = withStatus(v2(v1, UpdateConfig.newBuilder().setParallelism(1).setDelay(secs(10)).build(), 990),
        UpdateState.UPDATE_STATE_UPDATING, 990);
    List<Task> tasks = List.of(running("new1", v2, 1, 991, 995), running("old2", v1, 2, 1, 2));

    Plan held = reconciler.reconcile(view(List.of(v2), tasks, fourNodes()));
    assertThat(held.isEmpty()).isTrue();
    assertThat(held.wakeAt()).contains(Instant.ofEpochSecond(1005));

    List<Task> later = List.of(running("new1", v2, 1, 991, 985), running("old2", v1, 2, 1, 2));
    Plan next = reconciler.reconcile(view(List.of(v2), later, fourNodes()));
    assertThat(next.updates()).singleElement().satisfies(t -> assertThat(t.getId()).isEqualTo("old2"));
  }

  @Test
  void aFailedNewTaskPausesTheUpdate() {
    Service v1 = service("web", 3);
    Service v2 = withStatus(v2(v1, UpdateConfig.newBuilder().setParallelism(1).build(), 990),
        UpdateState.UPDATE_STATE_UPDATING, 990);
    Task failed = task("new1", v2, 1, "n1", TaskState.TASK_STATE_FAILED, 991).toBuilder()
        .setStatus(io.shoal.api.v1.TaskStatus.newBuilder().setState(TaskState.TASK_STATE_FAILED).setTimestamp(at(992)))
        .build();
    List<Task> tasks = List.of(failed, running("old2", v1, 2, 1, 2), running("old3", v1, 3, 1, 2));

    Plan plan = reconciler.reconcile(view(List.of(v2), tasks, fourNodes()));

    assertThat(plan.serviceUpdates()).singleElement().satisfies(s -> {
      assertThat(s.getUpdateStatus().getState()).isEqualTo(UpdateState.UPDATE_STATE_PAUSED);
      assertThat(s.getUpdateStatus().getMessage())
          .isEqualTo("update paused due to failure or early termination of task new1");
    });
    assertThat(plan.updates()).extracting(Task::getId).doesNotContain("old2", "old3");

    // Paused: the old tasks keep running, however long we wait.
    Service paused = plan.serviceUpdates().iterator().next();
    Plan still = reconciler.reconcile(view(List.of(paused), tasks, fourNodes()));
    assertThat(still.updates()).extracting(Task::getId).doesNotContain("old2", "old3");
    assertThat(still.serviceUpdates()).isEmpty();
  }

  /**
   * --update-monitor counts from when the new task reached RUNNING, not from its creation: a task
   * whose image took long to pull still fails within the monitor if it dies soon after it started.
   */
  @ParameterizedTest(name = "created {0}, running at {1}, {2} at {3}: counted {4}")
  @CsvSource(nullValues = "never", value = {
    // created, reached RUNNING, ended as, ended at, counted (monitor 5s)
    "991, 998,   TASK_STATE_FAILED,   1000, true",  // slow start, failed 2s after it ran (from creation: 9s)
    "991, 992,   TASK_STATE_FAILED,   1000, false", // ran 8s, past the monitor
    "991, 991,   TASK_STATE_FAILED,   995,  true",
    "991, never, TASK_STATE_REJECTED, 1000, true",  // never ran: always within (from creation: 9s)
    "991, never, TASK_STATE_FAILED,   999,  true",  // failed to start
    "991, 994,   TASK_STATE_FAILED,   999,  true",  // the monitor's last instant
  })
  void theMonitorCountsFromWhenTheNewTaskRan(long createdAt, Long runningAt, TaskState ended, long endedAt,
      boolean counted) {
    Service v1 = service("web", 3);
    Service v2 = withStatus(v2(v1, UpdateConfig.newBuilder().setParallelism(1).setMonitor(secs(5)).build(), 990),
        UpdateState.UPDATE_STATE_UPDATING, 990);
    io.shoal.api.v1.TaskStatus.Builder status = io.shoal.api.v1.TaskStatus.newBuilder().setState(ended)
        .setTimestamp(at(endedAt));
    if (runningAt != null) {
      status.setStartTime(at(runningAt));
    }
    Task failed = task("new1", v2, 1, "n1", ended, createdAt).toBuilder().setStatus(status).build();
    List<Task> tasks = List.of(failed, running("old2", v1, 2, 1, 2), running("old3", v1, 3, 1, 2));

    Plan plan = reconciler.reconcile(view(List.of(v2), tasks, fourNodes()));

    assertThat(plan.serviceUpdates().stream()
        .anyMatch(s -> s.getUpdateStatus().getState() == UpdateState.UPDATE_STATE_PAUSED)).isEqualTo(counted);
  }

  @Test
  void failuresWithinTheRatioAreTolerated() {
    Service v1 = service("web", 4);
    Service v2 = withStatus(v2(v1, UpdateConfig.newBuilder().setParallelism(1).setMaxFailureRatio(0.25f).build(), 990),
        UpdateState.UPDATE_STATE_UPDATING, 990);
    Task failed = task("new1", v2, 1, "n1", TaskState.TASK_STATE_FAILED, 991).toBuilder()
        .setDesiredState(TaskState.TASK_STATE_SHUTDOWN)
        .setStatus(io.shoal.api.v1.TaskStatus.newBuilder().setState(TaskState.TASK_STATE_FAILED).setTimestamp(at(992)))
        .build();
    List<Task> tasks = List.of(failed, running("new1b", v2, 1, 993, 994),
        running("old2", v1, 2, 1, 2), running("old3", v1, 3, 1, 2), running("old4", v1, 4, 1, 2));

    Plan plan = reconciler.reconcile(view(List.of(v2), tasks, fourNodes()));

    assertThat(plan.serviceUpdates()).isEmpty();
    assertThat(plan.updates()).singleElement().satisfies(t -> assertThat(t.getId()).isEqualTo("old2"));
  }

  /** What control does for a rollback: spec and previous_spec swap, the pending flag goes. */
  static Service swapped(Service s) {
    return s.toBuilder().setSpec(s.getPreviousSpec()).setPreviousSpec(s.getSpec())
        .setUpdateStatus(s.getUpdateStatus().toBuilder().clearSpecSwapPending()).build();
  }

  @Test
  void failureActionRollbackAsksControlToSwapThenRollsToTheSpecWithItsRollbackConfig() {
    // v1's rollback config rolls everything at once; the failed v2's would roll one slot at a time.
    Service plain = service("web", 4);
    Service v1 = plain.toBuilder().setSpec(plain.getSpec().toBuilder()
        .setRollbackConfig(UpdateConfig.newBuilder().setParallelism(0))).build();
    Service v2 = withStatus(v2(v1, UpdateConfig.newBuilder().setParallelism(3)
            .setFailureAction(UpdateFailureAction.UPDATE_FAILURE_ACTION_ROLLBACK).build(), 990),
        UpdateState.UPDATE_STATE_UPDATING, 990);
    v2 = v2.toBuilder().setSpec(v2.getSpec().toBuilder()
        .setRollbackConfig(UpdateConfig.newBuilder().setParallelism(1))).build();
    Task failed = task("new1", v2, 1, "n1", TaskState.TASK_STATE_REJECTED, 991).toBuilder()
        .setStatus(io.shoal.api.v1.TaskStatus.newBuilder().setState(TaskState.TASK_STATE_REJECTED).setTimestamp(at(992)))
        .build();
    List<Task> tasks = List.of(failed, running("new2", v2, 2, 991, 993), running("new3", v2, 3, 991, 993),
        running("old4", v1, 4, 1, 2));

    Plan plan = reconciler.reconcile(view(List.of(v2), tasks, fourNodes()));
    Service pending = plan.serviceUpdates().iterator().next();
    assertThat(pending.getUpdateStatus().getState()).isEqualTo(UpdateState.UPDATE_STATE_ROLLBACK_STARTED);
    assertThat(pending.getUpdateStatus().getMessage())
        .isEqualTo("update rolled back due to failure or early termination of task new1");
    assertThat(pending.getUpdateStatus().getSpecSwapPending()).isTrue();
    assertThat(pending.getUpdateStatus().getStartTime()).isEqualTo(at(NOW));
    assertThat(pending.getSpec()).isEqualTo(v2.getSpec()); // the scheduler never writes the spec

    // Until control swapped the specs, the update stays where it is.
    Plan waiting = reconciler.reconcile(view(List.of(pending), tasks, fourNodes()));
    assertThat(waiting.serviceUpdates()).isEmpty();
    assertThat(waiting.updates()).extracting(Task::getId).doesNotContain("new2", "new3", "old4");
    assertThat(waiting.creates()).noneMatch(t -> t.getSpec().getContainer().equals(v1.getSpec().getContainer()));

    // Swapped: the spec is v1 again; slot 1's failed task is replaced with v1 and both running v2
    // tasks stop at once (v1's rollback parallelism 0; v2's 1 would wait for slot 1).
    Service rolling = swapped(pending);
    Plan back = reconciler.reconcile(view(List.of(rolling), tasks, fourNodes()));
    assertThat(back.creates()).singleElement().satisfies(t -> {
      assertThat(t.getSlot()).isEqualTo(1);
      assertThat(t.getSpec().getContainer()).isEqualTo(v1.getSpec().getContainer());
    });
    assertThat(back.updates()).filteredOn(t -> t.getDesiredState() == TaskState.TASK_STATE_SHUTDOWN)
        .extracting(Task::getId).containsExactlyInAnyOrder("new1", "new2", "new3");
    assertThat(back.serviceUpdates()).isEmpty();
  }

  @Test
  void theUpdateCompletesOnceTheNewTasksRanForTheMonitorPeriod() {
    Service v1 = service("web", 1);
    Service v2 = withStatus(v2(v1, UpdateConfig.newBuilder().setParallelism(1).setMonitor(secs(30)).build(), 900),
        UpdateState.UPDATE_STATE_UPDATING, 900);

    Plan monitoring = reconciler.reconcile(view(List.of(v2), List.of(running("new1", v2, 1, 901, 990)), fourNodes()));
    assertThat(monitoring.isEmpty()).isTrue();
    assertThat(monitoring.wakeAt()).contains(Instant.ofEpochSecond(1020));

    Plan done = reconciler.reconcile(view(List.of(v2), List.of(running("new1", v2, 1, 901, 960)), fourNodes()));
    assertThat(done.serviceUpdates()).singleElement().satisfies(s -> {
      assertThat(s.getUpdateStatus().getState()).isEqualTo(UpdateState.UPDATE_STATE_COMPLETED);
      assertThat(s.getUpdateStatus().getMessage()).isEqualTo("update completed");
      assertThat(s.getUpdateStatus().getCompletionTime()).isEqualTo(at(NOW));
    });
  }

  @Test
  void aManualRollbackCompletesAsRollbackCompleted() {
    Service v1 = service("web", 1);
    Service asked = swapped(withStatus(v2(v1, UpdateConfig.getDefaultInstance(), 900),
        UpdateState.UPDATE_STATE_ROLLBACK_STARTED, 950));
    Service v2 = v2(v1, UpdateConfig.getDefaultInstance(), 900);

    Plan plan = reconciler.reconcile(view(List.of(asked), List.of(running("new1", v2, 1, 901, 902)), fourNodes()));
    assertThat(plan.updates()).singleElement().satisfies(t -> assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN));

    Plan done = reconciler.reconcile(view(List.of(asked), List.of(running("back1", v1, 1, 951, 952)), fourNodes()));
    assertThat(done.serviceUpdates()).singleElement().satisfies(s ->
        assertThat(s.getUpdateStatus().getState()).isEqualTo(UpdateState.UPDATE_STATE_ROLLBACK_COMPLETED));
  }

  @Test
  void scalingAloneWritesNoUpdateStatus() {
    Service v1 = service("web", 1);
    Service scaled = v1.toBuilder().setSpec(v1.getSpec().toBuilder()
        .setReplicated(io.shoal.api.v1.ReplicatedService.newBuilder().setReplicas(2))).build();

    Plan plan = reconciler.reconcile(view(List.of(scaled), List.of(running("a", v1, 1, 1, 2)), fourNodes()));

    assertThat(plan.creates()).hasSize(1);
    assertThat(plan.serviceUpdates()).isEmpty();
  }
  @Test
  void aFailingRollbackPausesAsRollbackPaused() {
    Service v1 = service("web", 2);
    v1 = v1.toBuilder().setSpec(v1.getSpec().toBuilder()
        .setRollbackConfig(UpdateConfig.newBuilder().setParallelism(1)
            .setFailureAction(UpdateFailureAction.UPDATE_FAILURE_ACTION_PAUSE))).build();
    Service v2 = v2(v1, UpdateConfig.getDefaultInstance(), 900);
    Service rolling = swapped(withStatus(v2, UpdateState.UPDATE_STATE_ROLLBACK_STARTED, 950));
    Task failedBack = task("back1", v1, 1, "n1", TaskState.TASK_STATE_FAILED, 951).toBuilder()
        .setStatus(io.shoal.api.v1.TaskStatus.newBuilder().setState(TaskState.TASK_STATE_FAILED).setTimestamp(at(952)))
        .build();

    Plan plan = reconciler.reconcile(view(List.of(rolling), List.of(failedBack, running("new2", v2, 2, 901, 902)), fourNodes()));

    assertThat(plan.serviceUpdates()).singleElement().satisfies(s -> {
      assertThat(s.getUpdateStatus().getState()).isEqualTo(UpdateState.UPDATE_STATE_ROLLBACK_PAUSED);
      assertThat(s.getUpdateStatus().getMessage())
          .isEqualTo("rollback paused due to failure or early termination of task back1");
    });
    assertThat(plan.updates()).extracting(Task::getId).doesNotContain("new2");
  }

  @Test
  void failureActionContinueKeepsRolling() {
    Service v1 = service("web", 3);
    Service v2 = withStatus(v2(v1, UpdateConfig.newBuilder().setParallelism(1)
            .setFailureAction(UpdateFailureAction.UPDATE_FAILURE_ACTION_CONTINUE).build(), 990),
        UpdateState.UPDATE_STATE_UPDATING, 990);
    Task failed = task("new1", v2, 1, "n1", TaskState.TASK_STATE_FAILED, 991).toBuilder()
        .setDesiredState(TaskState.TASK_STATE_SHUTDOWN)
        .setStatus(io.shoal.api.v1.TaskStatus.newBuilder().setState(TaskState.TASK_STATE_FAILED).setTimestamp(at(992)))
        .build();
    List<Task> tasks = List.of(failed, running("new1b", v2, 1, 993, 994), running("old2", v1, 2, 1, 2),
        running("old3", v1, 3, 1, 2));

    Plan plan = reconciler.reconcile(view(List.of(v2), tasks, fourNodes()));

    assertThat(plan.serviceUpdates()).isEmpty();
    assertThat(plan.updates()).singleElement().satisfies(t -> assertThat(t.getId()).isEqualTo("old2"));
  }
}
