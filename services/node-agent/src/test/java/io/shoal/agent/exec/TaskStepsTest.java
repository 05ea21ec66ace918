package io.shoal.agent.exec;

import static io.shoal.api.v1.TaskState.TASK_STATE_ACCEPTED;
import static io.shoal.api.v1.TaskState.TASK_STATE_ASSIGNED;
import static io.shoal.api.v1.TaskState.TASK_STATE_COMPLETE;
import static io.shoal.api.v1.TaskState.TASK_STATE_FAILED;
import static io.shoal.api.v1.TaskState.TASK_STATE_PREPARING;
import static io.shoal.api.v1.TaskState.TASK_STATE_REJECTED;
import static io.shoal.api.v1.TaskState.TASK_STATE_REMOVE;
import static io.shoal.api.v1.TaskState.TASK_STATE_RUNNING;
import static io.shoal.api.v1.TaskState.TASK_STATE_SHUTDOWN;
import static io.shoal.api.v1.TaskState.TASK_STATE_STARTING;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.PortBinding;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class TaskStepsTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05.006Z"), ZoneOffset.UTC);

  private final FakeTaskController controller = new FakeTaskController();

  private static Task task(TaskState desired) {
    return ContainerConfigsTest.task().setId("t1").setDesiredState(desired).build();
  }

  private static TaskStatus status(TaskState state) {
    return TaskStatus.newBuilder().setState(state).build();
  }

  /** Steps until no change, as the task runner does; returns every status reported. */
  private List<TaskStatus> run(Task task, TaskStatus from) {
    List<TaskStatus> reported = new ArrayList<>();
    TaskStatus current = from;
    for (int i = 0; i < 20; i++) {
      Step step = TaskSteps.next(task, current, controller, CLOCK);
      if (step instanceof Step.Transition t) {
        current = t.status();
        reported.add(current);
      } else {
        return reported;
      }
    }
    throw new AssertionError("no rest after 20 steps: " + reported);
  }

  private static List<TaskState> states(List<TaskStatus> statuses) {
    return statuses.stream().map(TaskStatus::getState).toList();
  }

  @Test
  void anAssignedTaskGoesAllTheWayToRunning() {
    controller.portsOnStart = List.of(
        new ContainerObservation.BoundPort(ContainerConfig.Protocol.TCP, 80, "127.0.0.2", 32768),
        new ContainerObservation.BoundPort(ContainerConfig.Protocol.UDP, 53, "127.0.0.2", 5353),
        new ContainerObservation.BoundPort(ContainerConfig.Protocol.TCP, 9000, "127.0.0.2", 32769));

    List<TaskStatus> reported = run(task(TASK_STATE_RUNNING), status(TASK_STATE_ASSIGNED));

    assertThat(states(reported)).containsExactly(
        TASK_STATE_ACCEPTED, TASK_STATE_PREPARING, TASK_STATE_STARTING, TASK_STATE_RUNNING);
    assertThat(reported).extracting(TaskStatus::getMessage)
        .containsExactly("accepted", "preparing", "starting", "started");
    assertThat(reported).allSatisfy(s -> {
      assertThat(s.getTimestamp().getSeconds()).isEqualTo(CLOCK.instant().getEpochSecond());
      assertThat(s.getTimestamp().getNanos()).isEqualTo(6_000_000);
    });
    assertThat(controller.actions()).containsExactly("prepare", "start");
    TaskStatus running = reported.get(3);
    assertThat(running.getContainerId()).isEqualTo("c1");
    assertThat(running.getPortsList()).containsExactly(
        binding(io.shoal.api.v1.Protocol.PROTOCOL_TCP, 80, 32768, PublishMode.PUBLISH_MODE_INGRESS),
        binding(io.shoal.api.v1.Protocol.PROTOCOL_UDP, 53, 5353, PublishMode.PUBLISH_MODE_HOST),
        binding(io.shoal.api.v1.Protocol.PROTOCOL_TCP, 9000, 32769, PublishMode.PUBLISH_MODE_HOST));
  }

  private static PortBinding binding(io.shoal.api.v1.Protocol protocol, int target, int host, PublishMode mode) {
    return PortBinding.newBuilder().setProtocol(protocol).setTargetPort(target).setHostIp("127.0.0.2")
        .setHostPort(host).setPublishMode(mode).build();
  }

  @Test
  void bindingsOfOneTargetPortAreMatchedByTheirFixedHostPort() {
    Task task = ContainerConfigsTest.task().setId("t1")
        .setSpec(ContainerConfigsTest.task().getSpec().toBuilder()
            .setEndpoint(io.shoal.api.v1.EndpointSpec.newBuilder()
                .addPorts(io.shoal.api.v1.PortConfig.newBuilder().setTargetPort(80).setPublishedPort(8080)
                    .setPublishMode(PublishMode.PUBLISH_MODE_INGRESS))
                .addPorts(io.shoal.api.v1.PortConfig.newBuilder().setTargetPort(80).setPublishedPort(9090)
                    .setPublishMode(PublishMode.PUBLISH_MODE_HOST))))
        .build();
    // The engine lists the fixed binding first, whatever the order it was given in.
    ContainerObservation container = new ContainerObservation("c1", "t1", ContainerObservation.State.RUNNING, 0, "",
        List.of(new ContainerObservation.BoundPort(ContainerConfig.Protocol.TCP, 80, "127.0.0.2", 9090),
            new ContainerObservation.BoundPort(ContainerConfig.Protocol.TCP, 80, "127.0.0.2", 32768)));

    assertThat(TaskSteps.portBindings(task, container)).containsExactly(
        binding(io.shoal.api.v1.Protocol.PROTOCOL_TCP, 80, 32768, PublishMode.PUBLISH_MODE_INGRESS),
        binding(io.shoal.api.v1.Protocol.PROTOCOL_TCP, 80, 9090, PublishMode.PUBLISH_MODE_HOST));
  }

  @Test
  void oneStepAtATime() {
    Step step = TaskSteps.next(task(TASK_STATE_RUNNING), status(TASK_STATE_ACCEPTED), controller, CLOCK);

    assertThat(step).isInstanceOfSatisfying(Step.Transition.class,
        t -> assertThat(t.status().getState()).isEqualTo(TASK_STATE_PREPARING));
    assertThat(controller.actions()).isEmpty();
  }

  @Test
  void anAdoptedContainerKeepsTheEnginesStartTime() {
    java.time.Instant startedAt = java.time.Instant.parse("2024-12-31T23:00:00.123456789Z");
    controller.container = new ContainerObservation("c1", "t1", ContainerObservation.State.RUNNING, 0, "", List.of(),
        ContainerObservation.Health.NONE, "", java.util.Optional.of(startedAt));

    List<TaskStatus> reported = run(task(TASK_STATE_RUNNING), status(TASK_STATE_ASSIGNED));

    assertThat(states(reported)).containsExactly(TASK_STATE_RUNNING);
    assertThat(io.shoal.common.time.Timestamps.toInstant(reported.get(0).getStartTime())).isEqualTo(startedAt);
    assertThat(io.shoal.common.time.Timestamps.toInstant(reported.get(0).getTimestamp())).isEqualTo(CLOCK.instant());
  }

  @Test
  void aTaskWithAHealthcheckIsStartingUntilTheCheckPassesThenRunning() {
    controller.healthOnStart = ContainerObservation.Health.STARTING;

    List<TaskStatus> started = run(task(TASK_STATE_RUNNING), status(TASK_STATE_ASSIGNED));
    assertThat(states(started)).endsWith(TASK_STATE_STARTING).doesNotContain(TASK_STATE_RUNNING);
    assertThat(controller.actions()).containsExactly("prepare", "start");

    controller.health(ContainerObservation.Health.HEALTHY, "ok");
    List<TaskStatus> healthy = run(task(TASK_STATE_RUNNING), started.get(started.size() - 1));

    assertThat(states(healthy)).containsExactly(TASK_STATE_RUNNING);
    assertThat(controller.actions()).as("started once").containsExactly("prepare", "start");
  }

  @Test
  void aTaskWhoseCheckFailsBeforeItIsHealthyFailsWithTheChecksOutput() {
    controller.healthOnStart = ContainerObservation.Health.STARTING;
    List<TaskStatus> started = run(task(TASK_STATE_RUNNING), status(TASK_STATE_ASSIGNED));

    controller.health(ContainerObservation.Health.UNHEALTHY, "no /tmp/ready");
    List<TaskStatus> failed = run(task(TASK_STATE_RUNNING), started.get(started.size() - 1));

    assertThat(states(failed)).containsExactly(TASK_STATE_FAILED);
    assertThat(failed.get(0).getErr()).isEqualTo("task: unhealthy container: no /tmp/ready");
    assertThat(failed.get(0).getContainerId()).isEqualTo("c1");
  }

  @Test
  void aRunningTaskWhoseContainerTurnsUnhealthyFails() {
    controller.withContainer(ContainerObservation.State.RUNNING, 0).health(ContainerObservation.Health.UNHEALTHY, "");

    Step step = TaskSteps.next(task(TASK_STATE_RUNNING), status(TASK_STATE_RUNNING), controller, CLOCK);

    assertThat(step).isInstanceOfSatisfying(Step.Transition.class, t -> {
      assertThat(t.status().getState()).isEqualTo(TASK_STATE_FAILED);
      assertThat(t.status().getErr()).isEqualTo("task: unhealthy container");
    });
  }

  @Test
  void anAdoptedContainerNotYetHealthyIsStarting() {
    controller.withContainer(ContainerObservation.State.RUNNING, 0).health(ContainerObservation.Health.STARTING, "");

    Step step = TaskSteps.next(task(TASK_STATE_RUNNING), status(TASK_STATE_ASSIGNED), controller, CLOCK);

    assertThat(step).isInstanceOfSatisfying(Step.Transition.class,
        t -> assertThat(t.status().getState()).isEqualTo(TASK_STATE_STARTING));
    assertThat(controller.actions()).isEmpty();
  }

  @Test
  void aRunningContainerIsNoChange() {
    controller.withContainer(ContainerObservation.State.RUNNING, 0);

    assertThat(TaskSteps.next(task(TASK_STATE_RUNNING), status(TASK_STATE_RUNNING), controller, CLOCK))
        .isEqualTo(Step.NO_CHANGE);
  }

  @Test
  void aContainerThatExitsAtOnceIsReportedRunningThenComplete() {
    controller.exitOnStart = 0;

    List<TaskStatus> reported = run(task(TASK_STATE_RUNNING), status(TASK_STATE_ASSIGNED));

    assertThat(states(reported)).endsWith(TASK_STATE_RUNNING, TASK_STATE_COMPLETE);
    assertThat(reported.get(reported.size() - 1).getMessage()).isEqualTo("finished");
    assertThat(reported.get(reported.size() - 1).getContainerId()).isEqualTo("c1");
  }

  @Test
  void theTimeATaskReachedRunningIsKeptByEveryLaterStatus() {
    com.google.protobuf.Timestamp started = com.google.protobuf.Timestamp.newBuilder().setSeconds(1000).build();
    controller.withContainer(ContainerObservation.State.EXITED, 3);

    List<TaskStatus> reported = run(task(TASK_STATE_RUNNING),
        status(TASK_STATE_RUNNING).toBuilder().setStartTime(started).build());

    assertThat(states(reported)).containsExactly(TASK_STATE_FAILED);
    assertThat(reported.get(0).getStartTime()).isEqualTo(started);
    assertThat(reported.get(0).getTimestamp()).isNotEqualTo(started);
  }

  @Test
  void onlyRunningSetsTheStartTime() {
    List<TaskStatus> reported = run(task(TASK_STATE_RUNNING), status(TASK_STATE_ASSIGNED));

    assertThat(reported).filteredOn(s -> s.getState() != TASK_STATE_RUNNING)
        .allSatisfy(s -> assertThat(s.hasStartTime()).isFalse());
    assertThat(reported.get(reported.size() - 1).getStartTime()).isEqualTo(reported.get(reported.size() - 1).getTimestamp());
  }

  @Test
  void aNonZeroExitFailsWithSwarmsError() {
    controller.withContainer(ContainerObservation.State.EXITED, 3);

    List<TaskStatus> reported = run(task(TASK_STATE_RUNNING), status(TASK_STATE_RUNNING));

    assertThat(states(reported)).containsExactly(TASK_STATE_FAILED);
    assertThat(reported.get(0).getExitCode()).isEqualTo(3);
    assertThat(reported.get(0).getErr()).isEqualTo("task: non-zero exit (3)");
  }

  @Test
  void aContainerRemovedBehindOurBackFails() {
    List<TaskStatus> reported = run(task(TASK_STATE_RUNNING), status(TASK_STATE_RUNNING));

    assertThat(states(reported)).containsExactly(TASK_STATE_FAILED);
    assertThat(reported.get(0).getErr()).contains("removed");
  }

  @Test
  void aPrepareFailureRejectsWithTheEnginesError() {
    controller.prepareFailure = new EngineException("pull 127.0.0.1:5000/x:1: manifest unknown");

    List<TaskStatus> reported = run(task(TASK_STATE_RUNNING), status(TASK_STATE_ASSIGNED));

    assertThat(states(reported)).containsExactly(TASK_STATE_ACCEPTED, TASK_STATE_PREPARING, TASK_STATE_REJECTED);
    assertThat(reported.get(2).getErr()).isEqualTo("pull 127.0.0.1:5000/x:1: manifest unknown");
    assertThat(controller.actions()).containsExactly("prepare");
  }

  @Test
  void aStartFailureFails() {
    controller.startFailure = new EngineException("start container: port is already allocated");

    List<TaskStatus> reported = run(task(TASK_STATE_RUNNING), status(TASK_STATE_PREPARING));

    assertThat(states(reported)).containsExactly(TASK_STATE_STARTING, TASK_STATE_FAILED);
    assertThat(reported.get(1).getErr()).contains("port is already allocated");
    assertThat(reported.get(1).getContainerId()).isEqualTo("c1");
  }

  @ParameterizedTest
  @EnumSource(value = TaskState.class, names = {"TASK_STATE_SHUTDOWN", "TASK_STATE_REMOVE"})
  void desiredShutdownStopsAndRemoves(TaskState desired) {
    controller.withContainer(ContainerObservation.State.RUNNING, 0);

    List<TaskStatus> reported = run(task(desired), status(TASK_STATE_RUNNING).toBuilder().setContainerId("c1").build());

    assertThat(states(reported)).containsExactly(TASK_STATE_SHUTDOWN);
    assertThat(reported.get(0).getMessage()).isEqualTo("shutdown");
    assertThat(reported.get(0).getContainerId()).isEqualTo("c1");
    assertThat(controller.actions()).containsExactly("shutdownAndRemove");
  }

  @Test
  void shutdownBeforeAnyContainerJustReportsIt() {
    List<TaskStatus> reported = run(task(TASK_STATE_SHUTDOWN), status(TASK_STATE_ASSIGNED));

    assertThat(states(reported)).containsExactly(TASK_STATE_SHUTDOWN);
    assertThat(controller.actions()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = TaskState.class,
      names = {"TASK_STATE_COMPLETE", "TASK_STATE_FAILED", "TASK_STATE_REJECTED", "TASK_STATE_SHUTDOWN"})
  void aFinishedTaskNeverMovesButLosesItsContainerWhenShutDown(TaskState finished) {
    controller.withContainer(ContainerObservation.State.EXITED, 1);

    assertThat(run(task(TASK_STATE_RUNNING), status(finished))).isEmpty();
    assertThat(controller.actions()).isEmpty();
    assertThat(run(task(TASK_STATE_REMOVE), status(finished))).isEmpty();
    assertThat(controller.actions()).containsExactly("shutdownAndRemove");
  }

  @Test
  void aRunningContainerFoundAtFirstSightIsAdopted() {
    controller.portsOnStart = List.of(
        new ContainerObservation.BoundPort(ContainerConfig.Protocol.TCP, 80, "127.0.0.2", 32768));
    controller.withContainer(ContainerObservation.State.RUNNING, 0);

    List<TaskStatus> reported = run(task(TASK_STATE_RUNNING), status(TASK_STATE_ASSIGNED));

    assertThat(states(reported)).containsExactly(TASK_STATE_RUNNING);
    assertThat(reported.get(0).getContainerId()).isEqualTo("c1");
    assertThat(reported.get(0).getPortsList()).extracting(PortBinding::getHostPort).containsExactly(32768);
    assertThat(controller.actions()).isEmpty();
  }

  @Test
  void anExitedContainerFoundAtFirstSightIsReportedAsItEnded() {
    controller.withContainer(ContainerObservation.State.EXITED, 2);

    List<TaskStatus> reported = run(task(TASK_STATE_RUNNING), status(TASK_STATE_ASSIGNED));

    assertThat(states(reported)).containsExactly(TASK_STATE_FAILED);
    assertThat(reported.get(0).getExitCode()).isEqualTo(2);
    assertThat(controller.actions()).isEmpty();
  }

  @Test
  void aCreatedContainerFoundAtFirstSightIsStartedNotRecreated() {
    controller.withContainer(ContainerObservation.State.CREATED, 0);

    List<TaskStatus> reported = run(task(TASK_STATE_RUNNING), status(TASK_STATE_ASSIGNED));

    assertThat(states(reported)).endsWith(TASK_STATE_RUNNING);
    assertThat(controller.actions()).containsExactly("prepare", "start");
    assertThat(reported.get(reported.size() - 1).getContainerId()).isEqualTo("c1");
  }
}
