package io.shoal.scheduler;

import static io.shoal.scheduler.Fixtures.node;
import static io.shoal.scheduler.Fixtures.nodes;
import static io.shoal.scheduler.Fixtures.ready;
import static io.shoal.scheduler.Fixtures.service;
import static io.shoal.scheduler.Fixtures.task;
import static io.shoal.scheduler.Fixtures.view;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.shoal.api.v1.GlobalService;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.RestartCondition;
import io.shoal.api.v1.RestartPolicy;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A task whose node is down follows its restart policy, as in SwarmKit's Supervisor.Restart: none
 * leaves it, on-failure replaces it, max attempts count, the delay runs from when the node went
 * down (none on a drained node), and a replacement does not wait for the old task to stop. A
 * global service's task just stops: a down node is no longer eligible.
 */
class NodeDownTest {
  static final long NOW = 1000;
  private final Reconciler reconciler =
      Fixtures.reconciler(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC), 5);

  static Timestamp at(long s) {
    return Timestamp.newBuilder().setSeconds(s).build();
  }

  static Duration secs(long s) {
    return Duration.newBuilder().setSeconds(s).build();
  }

  static Node down(long since, NodeAvailability availability) {
    Node n = node("n1", NodeState.NODE_STATE_DOWN);
    return n.toBuilder().setStatus(n.getStatus().toBuilder().setTimestamp(at(since)))
        .setSpec(n.getSpec().toBuilder().setAvailability(availability)).build();
  }

  static Service web(RestartPolicy policy) {
    Service s = service("web", 1);
    return s.toBuilder().setSpec(s.getSpec().toBuilder().setRestartPolicy(policy)).build();
  }

  /** What a pass decided for slot 1, whose only task runs on n1. */
  record Outcome(boolean replaced, TaskState oldDesired, List<Timestamp> carried, Optional<Instant> wakeAt) {}

  static Outcome outcome(boolean replaced, TaskState oldDesired, List<Timestamp> carried, Long wakeAt) {
    return new Outcome(replaced, oldDesired, carried,
        Optional.ofNullable(wakeAt).map(Instant::ofEpochSecond));
  }

  static Stream<Arguments> cases() {
    RestartPolicy defaults = RestartPolicy.getDefaultInstance();
    RestartPolicy none = RestartPolicy.newBuilder().setCondition(RestartCondition.RESTART_CONDITION_NONE).build();
    RestartPolicy onFailure = RestartPolicy.newBuilder()
        .setCondition(RestartCondition.RESTART_CONDITION_ON_FAILURE).setDelay(secs(0)).build();
    RestartPolicy max2 = RestartPolicy.newBuilder().setMaxAttempts(2).setDelay(secs(0)).build();
    RestartPolicy tenSeconds = RestartPolicy.newBuilder().setDelay(secs(10)).build();
    NodeAvailability active = NodeAvailability.NODE_AVAILABILITY_ACTIVE;
    TaskState running = TaskState.TASK_STATE_RUNNING;
    TaskState shutdown = TaskState.TASK_STATE_SHUTDOWN;
    return Stream.of(
        // name, policy, node down since, availability, restarts so far, outcome
        Arguments.of("defaults: told to shut down at once, replaced 5s from when the node went down",
            defaults, NOW - 2, active, List.of(), outcome(false, shutdown, List.of(), NOW + 3)),
        Arguments.of("defaults: delay over, replaced without waiting for the old task to stop",
            defaults, NOW - 5, active, List.of(), outcome(true, shutdown, List.of(), null)),
        Arguments.of("a longer delay is the policy's",
            tenSeconds, NOW - 5, active, List.of(), outcome(false, shutdown, List.of(), NOW + 5)),
        Arguments.of("none: not replaced",
            none, NOW - 100, active, List.of(), outcome(false, running, List.of(), null)),
        Arguments.of("on-failure: replaced, the task did not complete",
            onFailure, NOW - 1, active, List.of(), outcome(true, shutdown, List.of(), null)),
        Arguments.of("max attempts: the first restart is counted",
            max2, NOW - 1, active, List.of(at(950)), outcome(true, shutdown, List.of(at(950), at(NOW)), null)),
        Arguments.of("max attempts used: not replaced",
            max2, NOW - 1, active, List.of(at(900), at(950)), outcome(false, running, List.of(), null)),
        Arguments.of("drained and down: no delay",
            defaults, NOW - 1, NodeAvailability.NODE_AVAILABILITY_DRAIN, List.of(),
            outcome(true, shutdown, List.of(), null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aTaskOnADownNodeFollowsItsRestartPolicy(String name, RestartPolicy policy, long downSince,
      NodeAvailability availability, List<Timestamp> restarts, Outcome expected) {
    Service web = web(policy);
    Task lost = task("t1", web, 1, "n1", TaskState.TASK_STATE_RUNNING, 1).toBuilder().addAllRestarts(restarts).build();

    Plan plan = reconciler.reconcile(view(List.of(web), List.of(lost), nodes(down(downSince, availability), ready("n2"))));

    Task old = plan.current(lost);
    List<Timestamp> carried = new ArrayList<>();
    plan.creates().forEach(t -> {
      assertThat(t.getSlot()).isEqualTo(1);
      assertThat(t.getNodeId()).isEqualTo("n2");
      carried.addAll(t.getRestartsList());
    });
    assertThat(new Outcome(!plan.creates().isEmpty(), old.getDesiredState(), carried, plan.wakeAt()))
        .isEqualTo(expected);
    assertThat(plan.creates()).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void aTaskToldToShutDownOnItsDownNodeHoldsItsSlotUntilTheDelayIsOver() {
    Service web = web(RestartPolicy.newBuilder().setMaxAttempts(3).setDelay(secs(10)).build());
    Task lost = task("t1", web, 1, "n1", TaskState.TASK_STATE_RUNNING, 1).toBuilder()
        .setDesiredState(TaskState.TASK_STATE_SHUTDOWN).addRestarts(at(950)).build();

    Plan waiting = reconciler.reconcile(view(List.of(web), List.of(lost),
        nodes(down(NOW - 4, NodeAvailability.NODE_AVAILABILITY_ACTIVE), ready("n2"))));
    assertThat(waiting.creates()).isEmpty();
    assertThat(waiting.updates()).isEmpty();
    assertThat(waiting.wakeAt()).hasValue(Instant.ofEpochSecond(NOW + 6));

    Plan over = reconciler.reconcile(view(List.of(web), List.of(lost),
        nodes(down(NOW - 10, NodeAvailability.NODE_AVAILABILITY_ACTIVE), ready("n2"))));
    assertThat(over.creates()).singleElement().satisfies(t -> {
      assertThat(t.getSlot()).isEqualTo(1);
      assertThat(t.getNodeId()).isEqualTo("n2");
      assertThat(t.getRestartsList()).containsExactly(at(950), at(NOW));
    });
  }

  @Test
  void anOrphanedTaskStillHoldsItsSlotWhileTheDelayRuns() {
    Service web = web(RestartPolicy.newBuilder().setDelay(secs(10)).build());
    Task orphaned = task("t1", web, 1, "n1", TaskState.TASK_STATE_ORPHANED, 1).toBuilder()
        .setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build();

    Plan plan = reconciler.reconcile(view(List.of(web), List.of(orphaned),
        nodes(down(NOW - 4, NodeAvailability.NODE_AVAILABILITY_ACTIVE), ready("n2"))));

    assertThat(plan.creates()).isEmpty();
    assertThat(plan.wakeAt()).hasValue(Instant.ofEpochSecond(NOW + 6));
  }

  @Test
  void aTaskToldToShutDownWaitsToStopOnceItsNodeIsBackThenItsSlotIsRefilled() {
    Service web = web(RestartPolicy.getDefaultInstance());
    Task lost = task("t1", web, 1, "n1", TaskState.TASK_STATE_RUNNING, 1).toBuilder()
        .setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build();

    Plan back = reconciler.reconcile(view(List.of(web), List.of(lost), nodes(ready("n1"), ready("n2"))));
    assertThat(back.creates()).isEmpty();

    Task stopped = lost.toBuilder().setStatus(lost.getStatus().toBuilder().setState(TaskState.TASK_STATE_SHUTDOWN)).build();
    Plan refilled = reconciler.reconcile(view(List.of(web), List.of(stopped), nodes(ready("n1"), ready("n2"))));
    assertThat(refilled.creates()).singleElement().satisfies(t -> assertThat(t.getSlot()).isEqualTo(1));
  }

  @Test
  void aNodeRemovedFromTheClusterIsDownForGood() {
    Service web = web(RestartPolicy.getDefaultInstance());
    Task lost = task("t1", web, 1, "gone", TaskState.TASK_STATE_RUNNING, 1);

    Plan plan = reconciler.reconcile(view(List.of(web), List.of(lost), nodes(ready("n2"))));

    assertThat(plan.current(lost).getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN);
    assertThat(plan.creates()).singleElement().satisfies(t -> assertThat(t.getNodeId()).isEqualTo("n2"));
  }

  @Test
  void aTaskWaitingOutTheDelayStaysIfItsNodeComesBack() {
    Service web = web(RestartPolicy.getDefaultInstance());
    Task lost = task("t1", web, 1, "n1", TaskState.TASK_STATE_RUNNING, 1);

    Plan plan = reconciler.reconcile(view(List.of(web), List.of(lost), nodes(ready("n1"), ready("n2"))));

    assertThat(plan.isEmpty()).isTrue();
  }

  @ParameterizedTest(name = "global, restart condition {0}: the task stops, nothing replaces it")
  @MethodSource("conditions")
  void aGlobalServiceLosesTheDownNode(RestartCondition condition) {
    Service agent = web(RestartPolicy.newBuilder().setCondition(condition).setDelay(secs(0)).build());
    agent = agent.toBuilder().setSpec(agent.getSpec().toBuilder().setGlobal(GlobalService.getDefaultInstance())).build();
    Task lost = task("t1", agent, 0, "n1", TaskState.TASK_STATE_RUNNING, 1);
    Task kept = task("t2", agent, 0, "n2", TaskState.TASK_STATE_RUNNING, 1);

    Plan plan = reconciler.reconcile(view(List.of(agent), List.of(lost, kept),
        nodes(down(NOW - 100, NodeAvailability.NODE_AVAILABILITY_ACTIVE), ready("n2"))));

    assertThat(plan.creates()).isEmpty();
    assertThat(plan.updates()).singleElement().satisfies(t -> {
      assertThat(t.getId()).isEqualTo("t1");
      assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN);
    });
  }

  static Stream<RestartCondition> conditions() {
    return Stream.of(RestartCondition.RESTART_CONDITION_ANY, RestartCondition.RESTART_CONDITION_ON_FAILURE,
        RestartCondition.RESTART_CONDITION_NONE);
  }
}
