package io.shoal.agent.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.agent.LocalNode;
import io.shoal.agent.exec.ContainerConfigs;
import io.shoal.agent.exec.ContainerObservation;
import io.shoal.agent.exec.PullCredentials;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The task manager over an in-memory engine: the middle is real, the engine and dispatcher fake. */
class TaskManagerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final LocalNode NODE = new LocalNode("node1", "host1", "127.0.0.2");

  private final FakeContainerEngine engine = new FakeContainerEngine();
  private final List<String[]> reports = new CopyOnWriteArrayList<>();
  private final List<TaskStatus> statuses = new CopyOnWriteArrayList<>();
  private final StatusSink sink = (id, status) -> {
    reports.add(new String[] {id, status.getState().name()});
    statuses.add(status);
  };
  private final TaskManager manager = new TaskManager(engine, NODE, sink, Clock.systemUTC(), Telemetry.noop());

  @AfterEach
  void close() {
    manager.close();
  }

  private static Task task(String id, String image, TaskState desired) {
    return Task.newBuilder().setId(id).setServiceId("s").setServiceName("svc").setSlot(1)
        .setDesiredState(desired)
        .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_ASSIGNED))
        .setSpec(ServiceSpec.newBuilder().setName("svc")
            .setContainer(ContainerSpec.newBuilder().setImage(image)))
        .build();
  }

  private static Task running(String id) {
    return task(id, "127.0.0.1:5000/web:1", TaskState.TASK_STATE_RUNNING);
  }

  private List<String> states(String taskId) {
    return reports.stream().filter(r -> r[0].equals(taskId)).map(r -> r[1].replace("TASK_STATE_", ""))
        .collect(Collectors.toList());
  }

  private String containerOf(String taskId) {
    return engine.listContainers(Map.of(ContainerConfigs.LABEL_TASK_ID, taskId)).get(0).id();
  }

  @Test
  void runsEachAssignedTaskAndPullsOnlyOnce() {
    manager.start();

    manager.apply(List.of(running("a"), running("b")), false);

    await().atMost(WAIT).until(() -> states("a").contains("RUNNING") && states("b").contains("RUNNING"));
    assertThat(states("a")).containsExactly("ACCEPTED", "PREPARING", "STARTING", "RUNNING");
    assertThat(engine.pulls).hasSizeBetween(1, 2).containsOnly("127.0.0.1:5000/web:1");
  }

  @Test
  void aNewTaskCostsTheEngineFiveCallsFromFirstSightToRunning() {
    engine.images.add("127.0.0.1:5000/web:1");
    manager.start();
    int before = engine.calls.size();

    manager.apply(List.of(running("a")), false);

    await().atMost(WAIT).until(() -> states("a").contains("RUNNING"));
    // The search at first sight stays: it is also the agent's wait for an engine that is down.
    assertThat(engine.calls.subList(before, engine.calls.size())).filteredOn(call -> !call.equals("sweep"))
        .containsExactly("list", "hasImage", "create", "start", "inspect");
  }

  @Test
  void aTaskWhoseContainerDiesRightAfterStartIsReportedWhenItsEventComes() {
    engine.images.add("127.0.0.1:5000/web:1");
    manager.start();
    manager.apply(List.of(running("a")), false);
    await().atMost(WAIT).until(() -> states("a").contains("RUNNING"));

    engine.exit(containerOf("a"), 3);
    engine.event(containerOf("a"), "a");

    await().atMost(WAIT).until(() -> states("a").contains("FAILED"));
  }

  @Test
  void aTaskWithASecretIsRejectedWithTheReasonNotRunWithoutIt() {
    manager.start();
    io.shoal.api.v1.Task task = running("s").toBuilder()
        .setSpec(running("s").getSpec().toBuilder().addSecrets(io.shoal.api.v1.SecretReference.newBuilder()
            .setSecretName("db-password")))
        .build();

    manager.apply(List.of(task), false);

    await().atMost(WAIT).until(() -> states("s").contains("REJECTED"));
    assertThat(engine.listContainers(Map.of(ContainerConfigs.LABEL_TASK_ID, "s"))).isEmpty();
  }

  @Test
  void aContainerLeftBeforeTheStartIsStillAdopted() {
    TaskManager first = new TaskManager(engine, NODE, sink, Clock.systemUTC(), Telemetry.noop());
    first.start();
    first.apply(List.of(running("a")), false);
    await().atMost(WAIT).until(() -> states("a").contains("RUNNING"));
    String container = containerOf("a");
    first.close();
    reports.clear();

    manager.start();
    manager.apply(List.of(running("a")), false);

    await().atMost(WAIT).until(() -> states("a").contains("RUNNING"));
    assertThat(containerOf("a")).isEqualTo(container);
    assertThat(engine.listContainers(Map.of(ContainerConfigs.LABEL_TASK_ID, "a"))).hasSize(1);
  }

  @Test
  void aBurstOfTasksRunsOnBoundedWorkersAndNoPassIsLost() {
    engine.pullGate = new CountDownLatch(1);
    TaskManager bounded = new TaskManager(engine, NODE, sink, Clock.systemUTC(), Telemetry.noop(),
        PullCredentials.NONE, new WorkerLimits(2, 3), io.shoal.agent.exec.TaskNetworks.NONE);
    try {
      bounded.start();
      List<Task> burst = IntStream.range(0, 20)
          .mapToObj(i -> task("t" + i, "127.0.0.1:5000/web:" + i, TaskState.TASK_STATE_RUNNING))
          .toList();

      bounded.apply(burst, false);

      // Two pulls hang on the engine: the other tasks queue or are put off, no thread is added.
      await().atMost(WAIT).until(() -> engine.pullsWaiting.get() == 2);
      await().atMost(WAIT).until(() -> bounded.rejectedWork() > 0);
      assertThat(liveThreads("task-worker-")).as("worker threads").isLessThanOrEqualTo(2);
      engine.pullGate.countDown();
      await().atMost(WAIT).until(() -> burst.stream().allMatch(t -> states(t.getId()).contains("RUNNING")));
    } finally {
      bounded.close();
    }
  }

  private static long liveThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .count();
  }

  @Test
  void anExitMissedByTheEventStreamIsFoundOnResync() {
    manager.start();
    manager.apply(List.of(running("a")), false);
    await().atMost(WAIT).until(() -> states("a").contains("RUNNING"));

    engine.exit(containerOf("a"), 2);
    engine.resync();

    await().atMost(WAIT).until(() -> states("a").contains("FAILED"));
    assertThat(statuses.get(statuses.size() - 1).getExitCode()).isEqualTo(2);
  }

  @Test
  void anExitEventKicksOnlyItsTask() {
    manager.start();
    manager.apply(List.of(running("a")), false);
    await().atMost(WAIT).until(() -> states("a").contains("RUNNING"));

    String container = containerOf("a");
    engine.exit(container, 0);
    engine.event(container, "a");

    await().atMost(WAIT).until(() -> states("a").contains("COMPLETE"));
  }

  @Test
  void leftoverContainersAreAdoptedOrSwept() {
    String adopted = engine.add(Map.of(ContainerConfigs.LABEL_NODE_ID, "node1", ContainerConfigs.LABEL_TASK_ID, "a"),
        ContainerObservation.State.RUNNING);
    String stray = engine.add(Map.of(ContainerConfigs.LABEL_NODE_ID, "node1", ContainerConfigs.LABEL_TASK_ID, "gone"),
        ContainerObservation.State.RUNNING);
    String otherNode = engine.add(Map.of(ContainerConfigs.LABEL_NODE_ID, "node2", ContainerConfigs.LABEL_TASK_ID, "x"),
        ContainerObservation.State.RUNNING);
    manager.start();

    manager.apply(List.of(running("a")), false);

    await().atMost(WAIT).until(() -> states("a").contains("RUNNING"));
    assertThat(states("a")).containsExactly("RUNNING");
    assertThat(statuses.get(0).getContainerId()).isEqualTo(adopted);
    await().atMost(WAIT).until(() -> !engine.exists(stray));
    assertThat(engine.exists(otherNode)).isTrue();
    assertThat(engine.count()).isEqualTo(2);
  }

  @Test
  void aDroppedTaskLosesItsContainerWithoutAReport() {
    manager.start();
    manager.apply(List.of(running("a"), running("b")), false);
    await().atMost(WAIT).until(() -> states("a").contains("RUNNING") && states("b").contains("RUNNING"));
    String containerA = containerOf("a");
    int reportsBefore = reports.size();

    manager.apply(List.of(running("b")), false);

    await().atMost(WAIT).until(() -> !engine.exists(containerA));
    await().atMost(WAIT).until(() -> !manager.statuses().containsKey("a"));
    assertThat(reports).hasSize(reportsBefore);
  }

  @Test
  void changesApplyOnTopOfTheLastSet() {
    manager.start();
    manager.apply(List.of(running("a")), false);
    await().atMost(WAIT).until(() -> states("a").contains("RUNNING"));
    String containerA = containerOf("a");

    manager.applyChanges(List.of(running("b")), List.of()); // a is untouched, not dropped
    await().atMost(WAIT).until(() -> states("b").contains("RUNNING"));
    assertThat(engine.exists(containerA)).isTrue();

    manager.applyChanges(List.of(task("b", "127.0.0.1:5000/web:1", TaskState.TASK_STATE_SHUTDOWN)), List.of("a"));
    await().atMost(WAIT).until(() -> states("b").contains("SHUTDOWN"));
    await().atMost(WAIT).until(() -> !engine.exists(containerA));
    await().atMost(WAIT).until(() -> !manager.statuses().containsKey("a"));
  }

  @Test
  void aBadImageIsRejected() {
    manager.start();

    manager.apply(List.of(task("a", "127.0.0.1:5000/missing:1", TaskState.TASK_STATE_RUNNING)), false);

    await().atMost(WAIT).until(() -> states("a").contains("REJECTED"));
    assertThat(statuses.get(statuses.size() - 1).getErr()).isEqualTo("manifest unknown");
    assertThat(engine.count()).isZero();
  }

  @Test
  void onResyncStatusesTheDispatcherLacksAreReportedAgain() {
    manager.start();
    manager.apply(List.of(running("a")), false);
    await().atMost(WAIT).until(() -> states("a").contains("RUNNING"));
    int before = states("a").size();

    // A new session whose set still shows the task as ASSIGNED: RUNNING was lost on the way.
    manager.apply(List.of(running("a")), true);
    assertThat(states("a")).hasSize(before + 1).last().isEqualTo("RUNNING");

    // Without resync, or when the dispatcher is up to date, nothing is repeated.
    Task upToDate = running("a").toBuilder()
        .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_RUNNING)).build();
    manager.apply(List.of(upToDate), true);
    manager.apply(List.of(running("a")), false);
    assertThat(states("a")).hasSize(before + 1);
  }
}
