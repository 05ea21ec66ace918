package io.shoal.scheduler;

import static io.shoal.scheduler.Fixtures.node;
import static io.shoal.scheduler.Fixtures.nodes;
import static io.shoal.scheduler.Fixtures.ready;
import static io.shoal.scheduler.Fixtures.service;
import static io.shoal.scheduler.Fixtures.task;
import static io.shoal.scheduler.Fixtures.view;
import static io.shoal.scheduler.Fixtures.withHostPort;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.GlobalService;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  private final Reconciler reconciler =
      Fixtures.reconciler(Clock.fixed(Instant.ofEpochSecond(1000), ZoneOffset.UTC), 2);

  @Test
  void newServiceGetsOneTaskPerSlotSpreadOverReadyNodes() {
    Service web = service("web", 3);

    Plan plan = reconciler.reconcile(view(List.of(web), List.of(),
        nodes(ready("n1"), ready("n2"), ready("n3"), node("n4", NodeState.NODE_STATE_DOWN))));

    assertThat(plan.creates()).hasSize(3);
    assertThat(plan.creates()).extracting(Task::getSlot).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(plan.creates()).allSatisfy(t -> {
      assertThat(t.getStatus().getState()).isEqualTo(TaskState.TASK_STATE_ASSIGNED);
      assertThat(t.getSpec()).isEqualTo(web.getSpec());
    });
    assertThat(plan.creates()).extracting(Task::getNodeId).containsExactlyInAnyOrder("n1", "n2", "n3");
  }

  @Test
  void noNodeLeavesTasksPendingWithSwarmsReason() {
    Plan plan = reconciler.reconcile(view(List.of(service("web", 1)), List.of(),
        nodes(node("n1", NodeState.NODE_STATE_DOWN), node("n2", NodeState.NODE_STATE_DOWN))));

    Task t = plan.creates().iterator().next();
    assertThat(t.getStatus().getState()).isEqualTo(TaskState.TASK_STATE_PENDING);
    assertThat(t.getStatus().getErr()).isEqualTo("no suitable node (2 nodes not available for new tasks)");
  }

  @Test
  void hostPortsMakeOneTaskPerNodeAndExplainTheRest() {
    Service web = withHostPort(service("web", 3), 8080);

    Plan plan = reconciler.reconcile(view(List.of(web), List.of(), nodes(ready("n1"), ready("n2"))));

    Map<TaskState, List<Task>> byState = plan.creates().stream().collect(Collectors.groupingBy(t -> t.getStatus().getState()));
    assertThat(byState.get(TaskState.TASK_STATE_ASSIGNED)).extracting(Task::getNodeId).containsExactlyInAnyOrder("n1", "n2");
    assertThat(byState.get(TaskState.TASK_STATE_PENDING)).singleElement()
        .satisfies(t -> assertThat(t.getStatus().getErr()).isEqualTo("no suitable node (host-mode port already in use on 2 nodes)"));
  }

  @Test
  void failedTaskIsReplacedInTheSameSlot() {
    Service web = service("web", 1);
    Task failed = task("t1", web, 1, "n1", TaskState.TASK_STATE_FAILED, 1);

    Plan plan = reconciler.reconcile(view(List.of(web), List.of(failed), nodes(ready("n1"))));

    assertThat(plan.updates()).singleElement()
        .satisfies(t -> assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN));
    assertThat(plan.creates()).singleElement().satisfies(t -> {
      assertThat(t.getSlot()).isEqualTo(1);
      assertThat(t.getId()).isNotEqualTo("t1");
    });
  }

  @Test
  void taskOnADownNodeIsReplacedElsewhere() {
    Service web = service("web", 1);
    Task lost = task("t1", web, 1, "n1", TaskState.TASK_STATE_RUNNING, 1);

    Plan plan = reconciler.reconcile(view(List.of(web), List.of(lost),
        nodes(node("n1", NodeState.NODE_STATE_DOWN), ready("n2"))));

    assertThat(plan.creates()).singleElement().satisfies(t -> assertThat(t.getNodeId()).isEqualTo("n2"));
  }

  @Test
  void scaleDownRemovesTheHighestSlotsAsSwarmKitDoes() {
    Service web = service("web", 1);
    List<Task> tasks = List.of(
        task("t1", web, 1, "n1", TaskState.TASK_STATE_RUNNING, 1),
        task("t2", web, 2, "n1", TaskState.TASK_STATE_RUNNING, 1),
        task("t3", web, 3, "n1", TaskState.TASK_STATE_RUNNING, 1));

    Plan plan = reconciler.reconcile(view(List.of(web), tasks, nodes(ready("n1"))));

    assertThat(plan.creates()).isEmpty();
    assertThat(plan.updates()).extracting(Task::getId).containsExactlyInAnyOrder("t2", "t3");
    assertThat(plan.updates()).allSatisfy(t -> assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_REMOVE));
  }

  @Test
  void aScaledDownTaskIsDeletedOnceItStoppedOrItsNodeIsDownAndLeavesNoHistory() {
    Service web = service("web", 1);
    Task kept = task("t1", web, 1, "n1", TaskState.TASK_STATE_RUNNING, 1);
    Task stopping = task("t2", web, 2, "n1", TaskState.TASK_STATE_RUNNING, 1).toBuilder()
        .setDesiredState(TaskState.TASK_STATE_REMOVE).build();
    Task stopped = task("t3", web, 3, "n1", TaskState.TASK_STATE_SHUTDOWN, 1).toBuilder()
        .setDesiredState(TaskState.TASK_STATE_REMOVE).build();
    Task onDownNode = task("t4", web, 4, "n2", TaskState.TASK_STATE_RUNNING, 1).toBuilder()
        .setDesiredState(TaskState.TASK_STATE_REMOVE).build();

    Plan plan = reconciler.reconcile(view(List.of(web), List.of(kept, stopping, stopped, onDownNode),
        nodes(ready("n1"), node("n2", NodeState.NODE_STATE_DOWN))));

    assertThat(plan.deletes()).extracting(Task::getId).containsExactlyInAnyOrder("t3", "t4");
    assertThat(plan.updates()).isEmpty();
    assertThat(plan.creates()).isEmpty();
  }

  @Test
  void updateStopsOneOldTaskAtATimeAndWaitsForItToStop() {
    Service v1 = service("web", 2);
    Service v2 = v1.toBuilder().setSpec(v1.getSpec().toBuilder()
        .setContainer(ContainerSpec.newBuilder().setImage("img:2"))).build();
    Task a = task("a", v1, 1, "n1", TaskState.TASK_STATE_RUNNING, 1);
    Task b = task("b", v1, 2, "n2", TaskState.TASK_STATE_RUNNING, 1);

    Plan first = reconciler.reconcile(view(List.of(v2), List.of(a, b), nodes(ready("n1"), ready("n2"))));
    assertThat(first.creates()).isEmpty();
    assertThat(first.updates()).singleElement().satisfies(t -> {
      assertThat(t.getId()).isEqualTo("a");
      assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN);
    });

    Service updating = first.serviceUpdates().iterator().next();
    assertThat(updating.getUpdateStatus().getState()).isEqualTo(io.shoal.api.v1.UpdateState.UPDATE_STATE_UPDATING);

    // Stop-first: while "a" is still stopping nothing new starts in slot 1.
    Task aStopping = first.updates().iterator().next();
    Plan waiting = reconciler.reconcile(view(List.of(updating), List.of(aStopping, b), nodes(ready("n1"), ready("n2"))));
    assertThat(waiting.isEmpty()).isTrue();

    Task aStopped = aStopping.toBuilder().setStatus(aStopping.getStatus().toBuilder().setState(TaskState.TASK_STATE_SHUTDOWN)).build();
    Plan replace = reconciler.reconcile(view(List.of(updating), List.of(aStopped, b), nodes(ready("n1"), ready("n2"))));
    assertThat(replace.creates()).singleElement().satisfies(t -> {
      assertThat(t.getSlot()).isEqualTo(1);
      assertThat(t.getSpec()).isEqualTo(v2.getSpec());
    });
    assertThat(replace.updates()).isEmpty();
  }

  @Test
  void scalingUpAddsSlotsWithoutRollingTheRunningTasks() {
    Service v1 = service("web", 1);
    Task a = task("a", v1, 1, "n1", TaskState.TASK_STATE_RUNNING, 1);
    Service scaled = v1.toBuilder().setSpec(v1.getSpec().toBuilder()
        .setReplicated(io.shoal.api.v1.ReplicatedService.newBuilder().setReplicas(2)).setName("renamed")).build();

    Plan plan = reconciler.reconcile(view(List.of(scaled), List.of(a), nodes(ready("n1"), ready("n2"))));

    assertThat(plan.updates()).isEmpty();
    assertThat(plan.creates()).singleElement().satisfies(t -> assertThat(t.getSlot()).isEqualTo(2));
  }

  @Test
  void forceUpdateRollsAnUnchangedSpec() {
    Service v1 = service("web", 1);
    Task a = task("a", v1, 1, "n1", TaskState.TASK_STATE_RUNNING, 1);
    Service forced = v1.toBuilder().setSpec(v1.getSpec().toBuilder().setForceUpdate(1)).build();

    Plan plan = reconciler.reconcile(view(List.of(forced), List.of(a), nodes(ready("n1"))));

    assertThat(plan.updates()).singleElement()
        .satisfies(t -> assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN));
  }

  @Test
  void startFirstKeepsTheOldTaskUntilItsReplacementRuns() {
    Service v1 = service("web", 1);
    v1 = v1.toBuilder().setSpec(v1.getSpec().toBuilder().setUpdateConfig(
        io.shoal.api.v1.UpdateConfig.newBuilder().setOrder(io.shoal.api.v1.UpdateOrder.UPDATE_ORDER_START_FIRST))).build();
    Service v2 = v1.toBuilder().setSpec(v1.getSpec().toBuilder()
        .setContainer(ContainerSpec.newBuilder().setImage("img:2"))).build();
    Task old = task("old", v1, 1, "n1", TaskState.TASK_STATE_RUNNING, 1);

    Plan first = reconciler.reconcile(view(List.of(v2), List.of(old), nodes(ready("n1"))));
    assertThat(first.updates()).isEmpty();
    Task fresh = first.creates().iterator().next();
    assertThat(fresh.getSpec()).isEqualTo(v2.getSpec());
    assertThat(fresh.getSlot()).isEqualTo(1);
    Service updating = first.serviceUpdates().iterator().next();

    Task starting = fresh.toBuilder().setStatus(fresh.getStatus().toBuilder().setState(TaskState.TASK_STATE_STARTING))
        .setCreateTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(5)).build();
    Plan waiting = reconciler.reconcile(view(List.of(updating), List.of(old, starting), nodes(ready("n1"))));
    assertThat(waiting.isEmpty()).isTrue();

    Task running = starting.toBuilder().setStatus(starting.getStatus().toBuilder().setState(TaskState.TASK_STATE_RUNNING)).build();
    Plan handOver = reconciler.reconcile(view(List.of(updating), List.of(old, running), nodes(ready("n1"))));
    assertThat(handOver.creates()).isEmpty();
    assertThat(handOver.updates()).singleElement().satisfies(t -> {
      assertThat(t.getId()).isEqualTo("old");
      assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN);
    });
  }

  @Test
  void tasksOfADeletedServiceAreRemovedThenDeleted() {
    Service gone = service("gone", 1);
    Task running = task("t1", gone, 1, "n1", TaskState.TASK_STATE_RUNNING, 1);
    Task finished = task("t2", gone, 1, "n1", TaskState.TASK_STATE_SHUTDOWN, 1);

    Plan plan = reconciler.reconcile(view(List.of(), List.of(running, finished), nodes(ready("n1"))));

    assertThat(plan.updates()).singleElement().satisfies(t -> {
      assertThat(t.getId()).isEqualTo("t1");
      assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_REMOVE);
    });
    assertThat(plan.deletes()).extracting(Task::getId).containsExactly("t2");
  }

  /**
   * A removed service's task that waits for a node is deleted, and the placer must not then try
   * to place it: the batch named its key twice, etcd refused it ("duplicate key given in txn
   * request") on every pass, and no service of the cluster changed again (the shared e2e cluster
   * found it after MeshZeroDowntimeIT removed a host-port service with one task pending).
   */
  @Test
  void aRemovedServicesWaitingTaskIsDeletedAndNotPlaced() {
    Service gone = withHostPort(service("gone", 2), 8080);
    Task running = task("t1", gone, 1, "n1", TaskState.TASK_STATE_RUNNING, 1);
    Task waiting = task("t2", gone, 2, "", TaskState.TASK_STATE_PENDING, 1);

    Plan plan = reconciler.reconcile(view(List.of(), List.of(running, waiting), nodes(ready("n1"), ready("n2"))));

    assertThat(plan.deletes()).extracting(Task::getId).containsExactly("t2");
    assertThat(plan.updates()).extracting(Task::getId).containsExactly("t1");
  }

  @Test
  void historyIsBoundedPerSlot() {
    Service web = service("web", 1);
    List<Task> tasks = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tasks.add(task("old" + i, web, 1, "n1", TaskState.TASK_STATE_FAILED, i).toBuilder()
          .setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build());
    }
    tasks.add(task("now", web, 1, "n1", TaskState.TASK_STATE_RUNNING, 10));

    Plan plan = reconciler.reconcile(view(List.of(web), tasks, nodes(ready("n1"))));

    assertThat(plan.deletes()).extracting(Task::getId).containsExactlyInAnyOrder("old0", "old1");
  }

  @Test
  void globalServiceRunsOncePerReadyNode() {
    Service agent = service("agent", 0);
    agent = agent.toBuilder().setSpec(agent.getSpec().toBuilder().setGlobal(GlobalService.getDefaultInstance())).build();

    Plan plan = reconciler.reconcile(view(List.of(agent), List.of(),
        nodes(ready("n1"), ready("n2"), node("n3", NodeState.NODE_STATE_DOWN))));

    assertThat(plan.creates()).extracting(Task::getNodeId).containsExactlyInAnyOrder("n1", "n2");
    assertThat(plan.creates()).allSatisfy(t -> assertThat(t.getStatus().getState()).isEqualTo(TaskState.TASK_STATE_ASSIGNED));
  }

  @Test
  void spreadPrefersNodesWithFewestTasksOfTheService() {
    Service web = service("web", 3);
    Service other = service("other", 2);
    List<Task> tasks = List.of(
        task("w1", web, 1, "n1", TaskState.TASK_STATE_RUNNING, 1),
        task("o1", other, 1, "n2", TaskState.TASK_STATE_RUNNING, 1),
        task("o2", other, 2, "n2", TaskState.TASK_STATE_RUNNING, 1));

    Plan plan = reconciler.reconcile(view(List.of(web, other), tasks, nodes(ready("n1"), ready("n2"), ready("n3"))));

    // Slots 2 and 3 go to n2 and n3 (no web task yet); n3 first since it runs fewer tasks.
    assertThat(plan.creates()).extracting(Task::getNodeId).containsExactlyInAnyOrder("n2", "n3");
    assertThat(plan.creates().stream().min(Comparator.comparingLong(Task::getSlot)).orElseThrow().getNodeId())
        .isEqualTo("n3");
  }
  private static Service withRestart(Service s, io.shoal.api.v1.RestartPolicy policy) {
    return s.toBuilder().setSpec(s.getSpec().toBuilder().setRestartPolicy(policy)).build();
  }

  private static Task endedAt(Task t, long seconds) {
    return t.toBuilder().setStatus(t.getStatus().toBuilder()
        .setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(seconds))).build();
  }

  @Test
  void exitedTaskWaitsForTheRestartDelayThenIsReplacedInItsSlot() {
    Service web = withRestart(service("web", 1), io.shoal.api.v1.RestartPolicy.newBuilder()
        .setDelay(com.google.protobuf.Duration.newBuilder().setSeconds(10)).build());
    Task exitedRecently = endedAt(task("t1", web, 1, "n1", TaskState.TASK_STATE_FAILED, 990), 995);

    Plan waiting = reconciler.reconcile(view(List.of(web), List.of(exitedRecently), nodes(ready("n1"))));
    assertThat(waiting.isEmpty()).isTrue();
    assertThat(waiting.wakeAt()).contains(Instant.ofEpochSecond(1005));

    Task exitedLongAgo = endedAt(exitedRecently, 989);
    Plan restarted = reconciler.reconcile(view(List.of(web), List.of(exitedLongAgo), nodes(ready("n1"))));
    assertThat(restarted.updates()).singleElement()
        .satisfies(t -> assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN));
    assertThat(restarted.creates()).singleElement().satisfies(t -> assertThat(t.getSlot()).isEqualTo(1));
    assertThat(restarted.wakeAt()).isEmpty();
  }

  @Test
  void restartConditionNoneKeepsTheEndedTaskInItsSlot() {
    Service job = withRestart(service("job", 2), io.shoal.api.v1.RestartPolicy.newBuilder()
        .setCondition(io.shoal.api.v1.RestartCondition.RESTART_CONDITION_NONE).build());
    List<Task> tasks = List.of(
        task("t1", job, 1, "n1", TaskState.TASK_STATE_COMPLETE, 1),
        task("t2", job, 2, "n1", TaskState.TASK_STATE_FAILED, 1));

    Plan plan = reconciler.reconcile(view(List.of(job), tasks, nodes(ready("n1"))));

    assertThat(plan.isEmpty()).isTrue();
    assertThat(plan.wakeAt()).isEmpty();
  }

  @Test
  void restartAttemptsAreCarriedToTheReplacementAndStopAtTheLimit() {
    Service web = withRestart(service("web", 1), io.shoal.api.v1.RestartPolicy.newBuilder()
        .setMaxAttempts(2).setDelay(com.google.protobuf.Duration.getDefaultInstance()).build());
    Task first = task("t1", web, 1, "n1", TaskState.TASK_STATE_FAILED, 1);

    Task second = reconciler.reconcile(view(List.of(web), List.of(first), nodes(ready("n1"))))
        .creates().iterator().next();
    assertThat(second.getRestartsList()).hasSize(1);

    Task secondFailed = second.toBuilder().setStatus(second.getStatus().toBuilder().setState(TaskState.TASK_STATE_FAILED)).build();
    Task third = reconciler.reconcile(view(List.of(web), List.of(secondFailed), nodes(ready("n1"))))
        .creates().iterator().next();
    assertThat(third.getRestartsList()).hasSize(2);

    Task thirdFailed = third.toBuilder().setStatus(third.getStatus().toBuilder().setState(TaskState.TASK_STATE_FAILED)).build();
    Plan givenUp = reconciler.reconcile(view(List.of(web), List.of(thirdFailed), nodes(ready("n1"))));
    assertThat(givenUp.isEmpty()).isTrue();

    // An update starts the count afresh: the ended task is replaced with the new spec.
    Service v2 = web.toBuilder().setSpec(web.getSpec().toBuilder()
        .setContainer(ContainerSpec.newBuilder().setImage("img:2"))).build();
    Plan updated = reconciler.reconcile(view(List.of(v2), List.of(thirdFailed), nodes(ready("n1"))));
    assertThat(updated.creates()).singleElement().satisfies(t -> {
      assertThat(t.getSpec()).isEqualTo(v2.getSpec());
      assertThat(t.getRestartsList()).isEmpty();
    });
  }

  @Test
  void globalTaskThatExitsIsRestartedOnItsNodeAfterTheDelay() {
    Service agent = service("agent", 0);
    agent = agent.toBuilder().setSpec(agent.getSpec().toBuilder().setGlobal(GlobalService.getDefaultInstance())).build();
    Task exited = endedAt(task("t1", agent, 0, "n1", TaskState.TASK_STATE_FAILED, 990), 998);

    Plan waiting = reconciler.reconcile(view(List.of(agent), List.of(exited), nodes(ready("n1"))));
    assertThat(waiting.isEmpty()).isTrue();
    assertThat(waiting.wakeAt()).contains(Instant.ofEpochSecond(1003));

    Plan restarted = reconciler.reconcile(view(List.of(agent), List.of(endedAt(exited, 990)), nodes(ready("n1"))));
    assertThat(restarted.creates()).singleElement().satisfies(t -> assertThat(t.getNodeId()).isEqualTo("n1"));
  }
}
