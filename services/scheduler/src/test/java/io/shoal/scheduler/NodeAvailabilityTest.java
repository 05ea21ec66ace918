package io.shoal.scheduler;

import static io.shoal.scheduler.Fixtures.nodes;
import static io.shoal.scheduler.Fixtures.ready;
import static io.shoal.scheduler.Fixtures.service;
import static io.shoal.scheduler.Fixtures.task;
import static io.shoal.scheduler.Fixtures.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.GlobalService;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.UpdateConfig;
import io.shoal.api.v1.UpdateOrder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Drain moves tasks away (stop-first or start-first); pause stops new placements only. */
class NodeAvailabilityTest {
  private final Reconciler reconciler =
      Fixtures.reconciler(Clock.fixed(Instant.ofEpochSecond(1000), ZoneOffset.UTC), 5);

  static Node with(Node n, NodeAvailability a) {
    return n.toBuilder().setSpec(n.getSpec().toBuilder().setAvailability(a)).build();
  }

  static Service startFirst(Service s) {
    return s.toBuilder().setSpec(s.getSpec().toBuilder()
        .setUpdateConfig(UpdateConfig.newBuilder().setOrder(UpdateOrder.UPDATE_ORDER_START_FIRST))).build();
  }

  static Service global(String id) {
    Service s = service(id, 0);
    return s.toBuilder().setSpec(s.getSpec().toBuilder().setGlobal(GlobalService.getDefaultInstance())).build();
  }

  @Test
  void drainStopsTheTaskThenStartsItsReplacementElsewhere() {
    Service web = service("web", 1);
    Task onDrained = task("t1", web, 1, "n1", TaskState.TASK_STATE_RUNNING, 1);
    List<Node> nodes = nodes(with(ready("n1"), NodeAvailability.NODE_AVAILABILITY_DRAIN), ready("n2"));

    Plan stop = reconciler.reconcile(view(List.of(web), List.of(onDrained), nodes));
    assertThat(stop.creates()).isEmpty();
    Task stopping = stop.updates().iterator().next();
    assertThat(stopping.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN);

    Task stopped = stopping.toBuilder().setStatus(stopping.getStatus().toBuilder().setState(TaskState.TASK_STATE_SHUTDOWN)).build();
    Plan move = reconciler.reconcile(view(List.of(web), List.of(stopped), nodes));
    assertThat(move.creates()).singleElement().satisfies(t -> {
      assertThat(t.getSlot()).isEqualTo(1);
      assertThat(t.getNodeId()).isEqualTo("n2");
    });
  }

  @Test
  void startFirstDrainKeepsTheTaskUntilItsReplacementRuns() {
    Service web = startFirst(service("web", 1));
    Task old = task("old", web, 1, "n1", TaskState.TASK_STATE_RUNNING, 1);
    List<Node> nodes = nodes(with(ready("n1"), NodeAvailability.NODE_AVAILABILITY_DRAIN), ready("n2"));

    Plan first = reconciler.reconcile(view(List.of(web), List.of(old), nodes));
    assertThat(first.updates()).isEmpty();
    Task fresh = first.creates().iterator().next();
    assertThat(fresh.getNodeId()).isEqualTo("n2");

    Task starting = fresh.toBuilder().setCreateTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(5)).build();
    assertThat(reconciler.reconcile(view(List.of(web), List.of(old, starting), nodes)).isEmpty()).isTrue();

    Task running = starting.toBuilder().setStatus(starting.getStatus().toBuilder().setState(TaskState.TASK_STATE_RUNNING)).build();
    Plan handOver = reconciler.reconcile(view(List.of(web), List.of(old, running), nodes));
    assertThat(handOver.creates()).isEmpty();
    assertThat(handOver.updates()).singleElement().satisfies(t -> {
      assertThat(t.getId()).isEqualTo("old");
      assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN);
    });
  }

  @Test
  void pauseKeepsRunningTasksButTakesNoNewOnes() {
    Service web = service("web", 2);
    Task running = task("t1", web, 1, "n1", TaskState.TASK_STATE_RUNNING, 1);
    List<Node> nodes = nodes(with(ready("n1"), NodeAvailability.NODE_AVAILABILITY_PAUSE));

    Plan plan = reconciler.reconcile(view(List.of(web), List.of(running), nodes));

    assertThat(plan.updates()).extracting(Task::getId).doesNotContain("t1");
    assertThat(plan.creates()).singleElement().satisfies(t -> {
      assertThat(t.getStatus().getState()).isEqualTo(TaskState.TASK_STATE_PENDING);
      assertThat(t.getStatus().getErr()).isEqualTo("no suitable node (1 node not available for new tasks)");
    });
  }

  @Test
  void globalServiceLeavesADrainedNodeAndSkipsAPausedOne() {
    Service agent = global("agent");
    List<Task> tasks = List.of(
        task("a1", agent, 0, "n1", TaskState.TASK_STATE_RUNNING, 1),
        task("a2", agent, 0, "n2", TaskState.TASK_STATE_RUNNING, 1));
    List<Node> nodes = nodes(with(ready("n1"), NodeAvailability.NODE_AVAILABILITY_DRAIN),
        with(ready("n2"), NodeAvailability.NODE_AVAILABILITY_PAUSE),
        with(ready("n3"), NodeAvailability.NODE_AVAILABILITY_PAUSE), ready("n4"));

    Plan plan = reconciler.reconcile(view(List.of(agent), tasks, nodes));

    assertThat(plan.updates()).singleElement().satisfies(t -> {
      assertThat(t.getId()).isEqualTo("a1");
      assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN);
    });
    assertThat(plan.creates()).extracting(Task::getNodeId).containsExactly("n4");
  }
}
