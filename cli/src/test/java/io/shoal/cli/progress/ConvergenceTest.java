package io.shoal.cli.progress;

import static io.shoal.api.v1.NodeAvailability.NODE_AVAILABILITY_ACTIVE;
import static io.shoal.api.v1.NodeAvailability.NODE_AVAILABILITY_DRAIN;
import static io.shoal.api.v1.NodeState.NODE_STATE_DOWN;
import static io.shoal.api.v1.NodeState.NODE_STATE_READY;
import static io.shoal.api.v1.TaskState.TASK_STATE_FAILED;
import static io.shoal.api.v1.TaskState.TASK_STATE_PENDING;
import static io.shoal.api.v1.TaskState.TASK_STATE_PREPARING;
import static io.shoal.api.v1.TaskState.TASK_STATE_REMOVE;
import static io.shoal.api.v1.TaskState.TASK_STATE_RUNNING;
import static io.shoal.api.v1.TaskState.TASK_STATE_SHUTDOWN;
import static io.shoal.cli.testing.Fixtures.node;
import static io.shoal.cli.testing.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.NetworkAttachmentConfig;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.cli.testing.Fixtures;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConvergenceTest {
  static final ServiceSpec V2 = Fixtures.replicated("web", "nginx:2", 3);
  static final ServiceSpec V1 = Fixtures.replicated("web", "nginx:1", 3);
  static final Service WEB = Service.newBuilder().setId("svc-web").setSpec(V2).build();

  static Task t(
      String id, ServiceSpec spec, long slot, TaskState desired, TaskState state, int age) {
    return task(id, spec, slot, desired, state, age).build();
  }

  static Stream<Arguments> replicated() {
    return Stream.of(
        Arguments.of(
            "nothing yet",
            List.of(),
            0L,
            false,
            List.of(Optional.empty(), Optional.empty(), Optional.empty())),
        Arguments.of(
            "one running, one preparing, one missing",
            List.of(
                t("a", V2, 1, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5),
                t("b", V2, 2, TASK_STATE_RUNNING, TASK_STATE_PREPARING, 5)),
            1L,
            false,
            List.of(
                Optional.of(TASK_STATE_RUNNING),
                Optional.of(TASK_STATE_PREPARING),
                Optional.empty())),
        Arguments.of(
            "all running the current spec",
            List.of(
                t("a", V2, 1, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5),
                t("b", V2, 2, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5),
                t("c", V2, 3, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5)),
            3L,
            true,
            List.of(
                Optional.of(TASK_STATE_RUNNING),
                Optional.of(TASK_STATE_RUNNING),
                Optional.of(TASK_STATE_RUNNING))),
        Arguments.of(
            "old spec still running in slot 3 is not progress",
            List.of(
                t("a", V2, 1, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5),
                t("b", V2, 2, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5),
                t("c", V1, 3, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 50)),
            2L,
            false,
            List.of(
                Optional.of(TASK_STATE_RUNNING),
                Optional.of(TASK_STATE_RUNNING),
                Optional.empty())),
        Arguments.of(
            "replaced old tasks are history",
            List.of(
                t("a", V2, 1, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5),
                t("a0", V1, 1, TASK_STATE_SHUTDOWN, TASK_STATE_SHUTDOWN, 50),
                t("b", V2, 2, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5),
                t("c", V2, 3, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5)),
            3L,
            true,
            List.of(
                Optional.of(TASK_STATE_RUNNING),
                Optional.of(TASK_STATE_RUNNING),
                Optional.of(TASK_STATE_RUNNING))),
        Arguments.of(
            "the newest task of a slot is shown",
            List.of(
                t("a-old", V2, 1, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 50),
                t("a-new", V2, 1, TASK_STATE_RUNNING, TASK_STATE_PREPARING, 5)),
            0L,
            false,
            List.of(Optional.of(TASK_STATE_PREPARING), Optional.empty(), Optional.empty())),
        Arguments.of(
            "a failed task that should still run is not waited for",
            List.of(
                t("a", V2, 1, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5),
                t("b", V2, 2, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5),
                t("c", V2, 3, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5),
                t("x", V1, 2, TASK_STATE_RUNNING, TASK_STATE_FAILED, 60)),
            3L,
            true,
            List.of(
                Optional.of(TASK_STATE_RUNNING),
                Optional.of(TASK_STATE_RUNNING),
                Optional.of(TASK_STATE_RUNNING))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("replicated")
  void replicatedProgress(
      String name,
      List<Task> tasks,
      long converged,
      boolean done,
      List<Optional<TaskState>> states) {
    Convergence.Snapshot s = Convergence.evaluate(WEB, tasks, List.of());
    assertThat(s.converged()).isEqualTo(converged);
    assertThat(s.target()).isEqualTo(3);
    assertThat(s.done()).isEqualTo(done);
    assertThat(s.lines()).extracting(Convergence.Line::label).containsExactly("1/3", "2/3", "3/3");
    assertThat(s.lines()).extracting(Convergence.Line::state).containsExactlyElementsOf(states);
  }

  @Test
  void scalingDoesNotMakeRunningTasksOutdated() {
    ServiceSpec three = V2;
    ServiceSpec two =
        V2.toBuilder().setReplicated(ReplicatedService.newBuilder().setReplicas(2)).build();
    Service scaled = WEB.toBuilder().setSpec(two).build();
    List<Task> beforeScheduler =
        List.of(
            t("a", three, 1, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5),
            t("b", three, 2, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5),
            t("c", three, 3, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5));
    Convergence.Snapshot waiting = Convergence.evaluate(scaled, beforeScheduler, List.of());
    assertThat(waiting.converged()).isEqualTo(2);
    assertThat(waiting.done()).as("slot 3 must stop first").isFalse();

    List<Task> afterScheduler =
        List.of(
            beforeScheduler.get(0),
            beforeScheduler.get(1),
            t("c", three, 3, TASK_STATE_REMOVE, TASK_STATE_RUNNING, 5));
    assertThat(Convergence.evaluate(scaled, afterScheduler, List.of()).done()).isTrue();
  }

  @Test
  void aTaskOnOtherNetworksIsOutdatedAsTheSchedulerSays() {
    ServiceSpec onFront = V2.toBuilder().addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("net-front")).build();
    ServiceSpec alsoBack = onFront.toBuilder().addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("net-back")).build();
    ServiceSpec aliased = V2.toBuilder()
        .addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("net-front").addAliases("www")).build();
    Task running = t("a", onFront, 1, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5);

    assertThat(Convergence.upToDate(running, onFront)).isTrue();
    assertThat(Convergence.upToDate(running, alsoBack)).as("--network-add").isFalse();
    assertThat(Convergence.upToDate(running, V2)).as("--network-rm").isFalse();
    assertThat(Convergence.upToDate(running, aliased)).as("a new alias").isFalse();
  }

  @Test
  void aTaskWithOtherSecretsOrConfigsIsOutdatedAsTheSchedulerSays() {
    ServiceSpec withSecret = V2.toBuilder().addSecrets(io.shoal.api.v1.SecretReference.newBuilder()
        .setSecretId("s1").setSecretName("db")).build();
    ServiceSpec withConfig = V2.toBuilder().addConfigs(io.shoal.api.v1.ConfigReference.newBuilder()
        .setConfigId("c1").setConfigName("conf")).build();
    Task running = t("a", withSecret, 1, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5);

    assertThat(Convergence.upToDate(running, withSecret)).isTrue();
    assertThat(Convergence.upToDate(running, V2)).as("--secret-rm").isFalse();
    assertThat(Convergence.upToDate(running, withConfig)).as("--config-add").isFalse();
  }

  @Test
  void zeroReplicasConvergeWhenNothingRuns() {
    Service none =
        WEB.toBuilder()
            .setSpec(V2.toBuilder().setReplicated(ReplicatedService.newBuilder().setReplicas(0)))
            .build();
    Convergence.Snapshot s = Convergence.evaluate(none, List.of(), List.of());
    assertThat(s.target()).isZero();
    assertThat(s.lines()).isEmpty();
    assertThat(s.done()).isTrue();
  }

  @Test
  void notesTheLastErrorOfASlotAndThePendingReason() {
    Task failed =
        task("a0", V2, 1, TASK_STATE_SHUTDOWN, TASK_STATE_FAILED, 10)
            .setStatus(
                TaskStatus.newBuilder()
                    .setState(TASK_STATE_FAILED)
                    .setErr("task: non-zero exit (1)"))
            .build();
    Task retry = t("a1", V2, 1, TASK_STATE_RUNNING, TASK_STATE_PREPARING, 2);
    Task pending =
        task("b", V2, 2, TASK_STATE_RUNNING, TASK_STATE_PENDING, 2)
            .setStatus(
                TaskStatus.newBuilder()
                    .setState(TASK_STATE_PENDING)
                    .setMessage(
                        "no suitable node (scheduling constraints not satisfied on 3 nodes)"))
            .build();
    Task running = t("c", V2, 3, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 2);

    Convergence.Snapshot s =
        Convergence.evaluate(WEB, List.of(failed, retry, pending, running), List.of());

    assertThat(s.lines())
        .extracting(Convergence.Line::note)
        .containsExactly(
            "error: task: non-zero exit (1)",
            "pending: no suitable node (scheduling constraints not satisfied on 3 nodes)",
            "");
  }

  @Test
  void aPendingTasksReasonMayComeInItsErr() {
    Task pending =
        task("a", V2, 1, TASK_STATE_RUNNING, TASK_STATE_PENDING, 2)
            .setStatus(
                TaskStatus.newBuilder().setState(TASK_STATE_PENDING).setErr("no suitable node"))
            .build();
    Convergence.Snapshot s = Convergence.evaluate(WEB, List.of(pending), List.of());
    assertThat(s.lines().get(0).note()).isEqualTo("pending: no suitable node");
  }

  @Test
  void globalServicesTargetReadyActiveNodes() {
    ServiceSpec spec = Fixtures.global("agent", "agent:1");
    Service agent = Service.newBuilder().setId("svc-agent").setSpec(spec).build();
    List<Node> nodes =
        List.of(
            node("n2", "node-2", NODE_STATE_READY, NODE_AVAILABILITY_ACTIVE),
            node("n1", "node-1", NODE_STATE_READY, NODE_AVAILABILITY_ACTIVE),
            node("n3", "node-3", NODE_STATE_DOWN, NODE_AVAILABILITY_ACTIVE),
            node("n4", "node-4", NODE_STATE_READY, NODE_AVAILABILITY_DRAIN));
    Task onN1 =
        task("a", spec, 0, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5).setNodeId("n1").build();
    Task onN2 =
        task("b", spec, 0, TASK_STATE_RUNNING, TASK_STATE_PREPARING, 5).setNodeId("n2").build();
    Task onDownNode =
        task("c", spec, 0, TASK_STATE_RUNNING, TASK_STATE_RUNNING, 5).setNodeId("n3").build();

    Convergence.Snapshot s = Convergence.evaluate(agent, List.of(onN1, onN2, onDownNode), nodes);
    assertThat(s.target()).isEqualTo(2);
    assertThat(s.converged()).isEqualTo(1);
    assertThat(s.done()).isFalse();
    assertThat(s.lines()).extracting(Convergence.Line::label).containsExactly("node-1", "node-2");

    Task n2Running = onN2.toBuilder().setStatus(onN1.getStatus()).build();
    assertThat(Convergence.evaluate(agent, List.of(onN1, n2Running, onDownNode), nodes).done())
        .isTrue();
  }
}
