package io.shoal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import io.shoal.common.task.TaskStates;
import io.shoal.common.time.Timestamps;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The scheduler's loop on a real etcd: the test plays control (services) and the dispatcher (status). */
@ExtendWith(EtcdExtension.class)
class SchedulerLoopIT {
  private EtcdStore store;
  private SchedulerLoop loop;

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    for (String n : List.of("n1", "n2", "n3")) {
      store.txn().create(Tables.NODE_REGISTRATIONS, n, Fixtures.registration(n)).commit();
    }
    // Through the scheduler's own handle: a write outside its keys would fail the test.
    loop = new SchedulerLoop(store.writingAs(Writer.SCHEDULER), Fixtures.reconciler(Clock.systemUTC(), 5));
    loop.start();
  }

  @AfterEach
  void stop() {
    loop.close();
    store.close();
  }

  private List<Task> tasks() {
    return store.list(Tables.TASKS).items();
  }

  private void reportAll(TaskState from, TaskState to) {
    for (Task t : tasks()) {
      if (t.getStatus().getState() == from) {
        store.txn().update(Tables.TASKS, t.getId(),
            t.toBuilder().setStatus(t.getStatus().toBuilder().setState(to)).build(), t.getVersion()).commit();
      }
    }
  }

  @Test
  void createsPlacesReplacesAndRemovesTasks() {
    store.txn().create(Tables.SERVICES, "web", Fixtures.service("web", 3)).commit();

    await().atMost(Duration.ofSeconds(10)).until(() -> tasks().size() == 3
        && tasks().stream().allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_ASSIGNED));
    assertThat(tasks()).extracting(Task::getNodeId).containsExactlyInAnyOrder("n1", "n2", "n3");
    reportAll(TaskState.TASK_STATE_ASSIGNED, TaskState.TASK_STATE_RUNNING);

    // A task exits: a new one takes its slot, and the old one stays as history.
    Task victim = tasks().get(0);
    store.txn().update(Tables.TASKS, victim.getId(), victim.toBuilder()
        .setStatus(victim.getStatus().toBuilder().setState(TaskState.TASK_STATE_FAILED)).build(), victim.getVersion()).commit();
    await().atMost(Duration.ofSeconds(10)).until(() -> tasks().size() == 4);
    assertThat(tasks().stream().filter(t -> t.getSlot() == victim.getSlot()
        && t.getDesiredState() == TaskState.TASK_STATE_RUNNING)).singleElement()
        .satisfies(t -> assertThat(t.getId()).isNotEqualTo(victim.getId()));

    // The service goes: every task is told to go, and is deleted once it has stopped.
    var web = store.get(Tables.SERVICES, "web").orElseThrow();
    store.txn().delete(Tables.SERVICES, "web", web.getVersion()).commit();
    await().atMost(Duration.ofSeconds(10)).until(() -> tasks().stream()
        .allMatch(t -> t.getDesiredState() == TaskState.TASK_STATE_REMOVE));
    reportAll(TaskState.TASK_STATE_RUNNING, TaskState.TASK_STATE_SHUTDOWN);
    reportAll(TaskState.TASK_STATE_ASSIGNED, TaskState.TASK_STATE_SHUTDOWN);
    await().atMost(Duration.ofSeconds(10)).until(() -> tasks().isEmpty());
  }

  @Test
  void theStatusOfAGoneServiceIsRemoved() {
    long version = store.txn().create(Tables.SERVICES, "gone", Fixtures.service("gone", 1)).commit();
    store.txn().create(Tables.SERVICE_STATUS, "gone", io.shoal.api.v1.ServiceStatus.newBuilder().setServiceId("gone")
        .setServiceVersion(version).setReconcileError("left from an earlier pass").build()).commit();
    // The service reconciles: the scheduler clears the error in its status.
    await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Tables.SERVICE_STATUS, "gone")
        .map(s -> s.getReconcileError().isEmpty()).orElse(false));

    var gone = store.get(Tables.SERVICES, "gone").orElseThrow();
    store.txn().delete(Tables.SERVICES, "gone", gone.getVersion()).commit();

    await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Tables.SERVICE_STATUS, "gone").isEmpty());
  }

  private void fail(Task t) {
    store.txn().update(Tables.TASKS, t.getId(), t.toBuilder().setStatus(t.getStatus().toBuilder()
        .setState(TaskState.TASK_STATE_FAILED).setExitCode(1)
        .setTimestamp(now()))
        .build(), t.getVersion()).commit();
  }

  @Test
  void restartPolicyWaitsItsDelayAndCountsAttempts() {
    var spec = Fixtures.service("job", 1).toBuilder();
    spec.getSpecBuilder().setRestartPolicy(io.shoal.api.v1.RestartPolicy.newBuilder()
        .setCondition(io.shoal.api.v1.RestartCondition.RESTART_CONDITION_ON_FAILURE)
        .setDelay(com.google.protobuf.Duration.newBuilder().setNanos(300_000_000))
        .setMaxAttempts(2));
    store.txn().create(Tables.SERVICES, "job", spec.build()).commit();

    // The first run and two restarts fail; each restart comes only after the delay, woken by
    // the scheduler's own timer (nothing else changes in etcd meanwhile).
    for (int run = 1; run <= 3; run++) {
      int expected = run;
      await().atMost(Duration.ofSeconds(10)).until(() -> tasks().size() == expected
          && tasks().stream().anyMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_ASSIGNED));
      Task live = tasks().stream().filter(t -> t.getStatus().getState() == TaskState.TASK_STATE_ASSIGNED)
          .findFirst().orElseThrow();
      assertThat(live.getSlot()).isEqualTo(1);
      assertThat(live.getRestartsCount()).isEqualTo(run - 1);
      fail(live);
    }

    // Two attempts used: the slot keeps its failed task, and no fourth task comes.
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> tasks().size() == 3);
    assertThat(tasks()).allSatisfy(t -> assertThat(t.getStatus().getState()).isEqualTo(TaskState.TASK_STATE_FAILED));
  }
  private static com.google.protobuf.Timestamp now() {
    return Timestamps.toTimestamp(java.time.Instant.now());
  }

  /**
   * Plays the agents for one poll: an assigned task starts (RUNNING) unless its image is
   * {@code badImage}, which fails at once; a task told to stop stops.
   */
  private void agentsStep(String badImage) {
    for (Task t : tasks()) {
      TaskState next = null;
      if (t.getDesiredState() != TaskState.TASK_STATE_RUNNING && !TaskStates.terminal(t.getStatus().getState())) {
        next = TaskState.TASK_STATE_SHUTDOWN;
      } else if (t.getStatus().getState() == TaskState.TASK_STATE_ASSIGNED) {
        next = t.getSpec().getContainer().getImage().equals(badImage) ? TaskState.TASK_STATE_FAILED : TaskState.TASK_STATE_RUNNING;
      }
      if (next != null) {
        try {
          store.txn().update(Tables.TASKS, t.getId(), t.toBuilder()
              .setStatus(t.getStatus().toBuilder().setState(next).setTimestamp(now())).build(), t.getVersion()).commit();
        } catch (io.shoal.common.store.ConflictException e) {
          // The scheduler wrote the task meanwhile; the next poll sees the fresh one.
          continue;
        }
      }
    }
  }

  private io.shoal.api.v1.Service service(String id) {
    return Fixtures.read(store, id);
  }

  /** What control does on UpdateService: new spec, previous spec, update time, status reset. */
  private void controlUpdates(String id, java.util.function.UnaryOperator<io.shoal.api.v1.ServiceSpec> change) {
    var current = store.get(Tables.SERVICES, id).orElseThrow();
    store.txn().update(Tables.SERVICES, id, current.toBuilder().setSpec(change.apply(current.getSpec()))
        .setPreviousSpec(current.getSpec()).setUpdateTime(now()).clearUpdateStatus().build(), current.getVersion()).commit();
  }

  private List<Task> runningOf(String image) {
    return tasks().stream().filter(t -> t.getDesiredState() == TaskState.TASK_STATE_RUNNING
        && t.getStatus().getState() == TaskState.TASK_STATE_RUNNING
        && t.getSpec().getContainer().getImage().equals(image)).toList();
  }

  private void startWeb(io.shoal.api.v1.UpdateConfig update) {
    var web = Fixtures.service("web", 3).toBuilder();
    web.getSpecBuilder().setUpdateConfig(update)
        .setRollbackConfig(io.shoal.api.v1.UpdateConfig.newBuilder().setParallelism(0)
            .setMonitor(com.google.protobuf.Duration.newBuilder().setNanos(200_000_000)));
    store.txn().create(Tables.SERVICES, "web", web.build()).commit();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      agentsStep("none");
      return runningOf("img:1").size() == 3;
    });
  }

  @Test
  void rollingUpdatePausesWhenANewTaskFails() {
    startWeb(io.shoal.api.v1.UpdateConfig.newBuilder().setParallelism(1)
        .setFailureAction(io.shoal.api.v1.UpdateFailureAction.UPDATE_FAILURE_ACTION_PAUSE).build());

    controlUpdates("web", spec -> spec.toBuilder().setContainer(spec.getContainer().toBuilder().setImage("img:bad")).build());

    await().atMost(Duration.ofSeconds(10)).until(() -> {
      agentsStep("img:bad");
      return service("web").getUpdateStatus().getState() == io.shoal.api.v1.UpdateState.UPDATE_STATE_PAUSED;
    });
    assertThat(service("web").getUpdateStatus().getMessage())
        .startsWith("update paused due to failure or early termination of task ");
    // One slot was tried; the other two keep serving the old spec.
    assertThat(runningOf("img:1")).hasSize(2);
    assertThat(service("web").getSpec().getContainer().getImage()).isEqualTo("img:bad");
  }

  @Test
  void rollingUpdateRollsBackWhenANewTaskFails() {
    startWeb(io.shoal.api.v1.UpdateConfig.newBuilder().setParallelism(2)
        .setFailureAction(io.shoal.api.v1.UpdateFailureAction.UPDATE_FAILURE_ACTION_ROLLBACK).build());

    controlUpdates("web", spec -> spec.toBuilder().setContainer(spec.getContainer().toBuilder().setImage("img:bad")).build());

    java.util.concurrent.atomic.AtomicBoolean swapAsked = new java.util.concurrent.atomic.AtomicBoolean();
    await().atMost(Duration.ofSeconds(15)).until(() -> {
      agentsStep("img:bad");
      swapAsked.compareAndSet(false, controlSwapsPendingRollback("web"));
      return service("web").getUpdateStatus().getState() == io.shoal.api.v1.UpdateState.UPDATE_STATE_ROLLBACK_COMPLETED;
    });
    assertThat(swapAsked).isTrue();
    assertThat(service("web").getUpdateStatus().getMessage()).isEqualTo("rollback completed");
    assertThat(runningOf("img:1")).extracting(Task::getSlot).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(tasks()).filteredOn(t -> t.getDesiredState() == TaskState.TASK_STATE_RUNNING).hasSize(3);
    // As in Swarm, the spec is what runs and the failed one is the previous spec.
    assertThat(service("web").getSpec().getContainer().getImage()).isEqualTo("img:1");
    assertThat(service("web").getPreviousSpec().getContainer().getImage()).isEqualTo("img:bad");
  }

  /**
   * What control's RollbackSwapWatcher does once the scheduler asks for a rollback: swap spec and
   * previous_spec, storing the asked status without the flag, guarded by the version. True if it
   * swapped.
   */
  private boolean controlSwapsPendingRollback(String id) {
    var asked = service(id).getUpdateStatus();
    if (!asked.getSpecSwapPending()) {
      return false;
    }
    var current = store.get(Tables.SERVICES, id).orElseThrow();
    try {
      store.txn().update(Tables.SERVICES, id, current.toBuilder().setSpec(current.getPreviousSpec())
          .setPreviousSpec(current.getSpec())
          .setUpdateStatus(asked.toBuilder().clearSpecSwapPending()).build(), current.getVersion())
          .commit();
      return true;
    } catch (io.shoal.common.store.ConflictException e) {
      return false; // the scheduler wrote it meanwhile; the next poll sees the fresh one
    }
  }

  @Test
  void rollingUpdateCompletes() {
    startWeb(io.shoal.api.v1.UpdateConfig.newBuilder().setParallelism(2)
        .setMonitor(com.google.protobuf.Duration.newBuilder().setNanos(200_000_000)).build());

    controlUpdates("web", spec -> spec.toBuilder().setContainer(spec.getContainer().toBuilder().setImage("img:2")).build());

    await().atMost(Duration.ofSeconds(10)).until(() -> {
      agentsStep("none");
      return service("web").getUpdateStatus().getState() == io.shoal.api.v1.UpdateState.UPDATE_STATE_COMPLETED;
    });
    assertThat(runningOf("img:2")).extracting(Task::getSlot).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(service("web").getUpdateStatus().getMessage()).isEqualTo("update completed");
  }
  /** As control stores a node's spec: a new key the first time, then guarded by its version. */
  private void setAvailability(String nodeId, io.shoal.api.v1.NodeAvailability a) {
    var stored = store.get(Tables.NODES, nodeId);
    var spec = io.shoal.api.v1.NodeSpec.newBuilder().setAvailability(a).build();
    if (stored.isEmpty()) {
      store.txn().create(Tables.NODES, nodeId, io.shoal.api.v1.Node.newBuilder().setId(nodeId).setSpec(spec).build()).commit();
    } else {
      store.txn().update(Tables.NODES, nodeId, stored.get().toBuilder().setSpec(spec).build(), stored.get().getVersion())
          .commit();
    }
  }

  private java.util.Set<String> nodesRunning(String serviceId) {
    return tasks().stream().filter(t -> t.getServiceId().equals(serviceId)
            && t.getDesiredState() == TaskState.TASK_STATE_RUNNING && t.getStatus().getState() == TaskState.TASK_STATE_RUNNING)
        .map(Task::getNodeId).collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void globalServiceFollowsNodesJoiningDrainingAndComingBack() {
    var agent = Fixtures.service("agent", 0).toBuilder();
    agent.getSpecBuilder().setGlobal(io.shoal.api.v1.GlobalService.getDefaultInstance());
    store.txn().create(Tables.SERVICES, "agent", agent.build()).commit();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      agentsStep("none");
      return nodesRunning("agent").equals(java.util.Set.of("n1", "n2", "n3"));
    });

    // A node joins: it gets its task.
    store.txn().create(Tables.NODE_REGISTRATIONS, "n4", Fixtures.registration("n4")).commit();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      agentsStep("none");
      return nodesRunning("agent").equals(java.util.Set.of("n1", "n2", "n3", "n4"));
    });

    // Drained: its task stops and none comes back; paused: it keeps its task.
    setAvailability("n2", io.shoal.api.v1.NodeAvailability.NODE_AVAILABILITY_DRAIN);
    setAvailability("n3", io.shoal.api.v1.NodeAvailability.NODE_AVAILABILITY_PAUSE);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      agentsStep("none");
      return nodesRunning("agent").equals(java.util.Set.of("n1", "n3", "n4"));
    });
    assertThat(tasks()).filteredOn(t -> t.getNodeId().equals("n2"))
        .allSatisfy(t -> assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN));

    // Active again: it gets a new task.
    setAvailability("n2", io.shoal.api.v1.NodeAvailability.NODE_AVAILABILITY_ACTIVE);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      agentsStep("none");
      return nodesRunning("agent").equals(java.util.Set.of("n1", "n2", "n3", "n4"));
    });
  }

  @Test
  void drainMovesReplicatedTasksToTheOtherNodes() {
    store.txn().create(Tables.SERVICES, "web", Fixtures.service("web", 3)).commit();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      agentsStep("none");
      return nodesRunning("web").size() == 3;
    });

    setAvailability("n1", io.shoal.api.v1.NodeAvailability.NODE_AVAILABILITY_DRAIN);

    await().atMost(Duration.ofSeconds(10)).until(() -> {
      agentsStep("none");
      return runningOf("img:1").size() == 3 && !nodesRunning("web").contains("n1");
    });
    assertThat(runningOf("img:1")).extracting(Task::getSlot).containsExactlyInAnyOrder(1L, 2L, 3L);
  }
}
