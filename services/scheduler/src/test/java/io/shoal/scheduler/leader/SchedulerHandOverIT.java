package io.shoal.scheduler.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Duration;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeSpec;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.NodeStatus;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.RestartPolicy;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.task.TaskStates;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import io.shoal.testing.ExternalProcess;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real scheduler processes on one etcd: one leads, the other waits; kill -9 of the leader hands
 * over within a few seconds, and no task is lost or duplicated; a leader that loses its key steps
 * down and later leads again, without exiting (the test plays control and the agents).
 */
@ExtendWith(EtcdExtension.class)
class SchedulerHandOverIT {
  private EtcdStore store;
  private String root;
  private String endpoints;
  private Path workDir;
  private final java.util.List<ExternalProcess> processes = new java.util.ArrayList<>();

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    endpoints = etcd.endpoints();
    root = etcd.newRoot();
    store = EtcdStore.connect(endpoints, root);
    workDir = ExternalProcess.tempDir("scheduler-ha");
    for (String n : List.of("n1", "n2", "n3")) {
      store.txn().create(Tables.NODES, n, Node.newBuilder().setId(n)
          .setStatus(NodeStatus.newBuilder().setState(NodeState.NODE_STATE_READY))
          .setSpec(NodeSpec.newBuilder().setAvailability(NodeAvailability.NODE_AVAILABILITY_ACTIVE)).build()).commit();
    }
  }

  @AfterEach
  void stop() {
    processes.forEach(ExternalProcess::close);
    store.close();
  }

  private ExternalProcess scheduler(String name) {
    int port = ExternalProcess.freePort();
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    ExternalProcess p = ExternalProcess.start(name, List.of(java, "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "io.shoal.scheduler.SchedulerMain",
        "--etcd-endpoints", endpoints, "--etcd-prefix", root,
        "--listen", "127.0.0.1:" + port, "--metrics-port", String.valueOf(ExternalProcess.freePort()),
        "--instance-id", name, "--leader-ttl", "2s", "--insecure"), workDir);
    processes.add(p);
    return p;
  }

  private String leaderName() {
    return store.getString(LeaderElection.KEY).map(v -> v.substring(0, v.indexOf('/'))).orElse("");
  }

  private List<Task> tasks() {
    return store.list(Tables.TASKS).items();
  }

  /** The agents: assigned tasks start; tasks told to stop stop. */
  private void agentsStep() {
    for (Task t : tasks()) {
      TaskState next = null;
      if (t.getDesiredState() != TaskState.TASK_STATE_RUNNING && !TaskStates.terminal(t.getStatus().getState())) {
        next = TaskState.TASK_STATE_SHUTDOWN;
      } else if (t.getStatus().getState() == TaskState.TASK_STATE_ASSIGNED) {
        next = TaskState.TASK_STATE_RUNNING;
      }
      if (next != null) {
        try {
          store.txn().update(Tables.TASKS, t.getId(), t.toBuilder().setStatus(t.getStatus().toBuilder().setState(next)).build(),
              t.getVersion()).commit();
        } catch (ConflictException e) {
          continue; // the scheduler wrote it meanwhile; the next poll sees the fresh task
        }
      }
    }
  }

  /** Desired-running tasks per slot: exactly one per slot means nothing lost or duplicated. */
  private Map<Long, Long> runningPerSlot() {
    return tasks().stream().filter(t -> t.getDesiredState() == TaskState.TASK_STATE_RUNNING)
        .collect(Collectors.groupingBy(Task::getSlot, Collectors.counting()));
  }

  private void setReplicas(long n) {
    Service web = store.get(Tables.SERVICES, "web").orElseThrow();
    store.txn().update(Tables.SERVICES, "web", web.toBuilder().setSpec(web.getSpec().toBuilder()
        .setReplicated(ReplicatedService.newBuilder().setReplicas(n))).build(), web.getVersion()).commit();
  }

  @Test
  void killingTheLeaderHandsOverWithoutLosingOrDuplicatingTasks() {
    ExternalProcess a = scheduler("sched-a");
    await().atMost(java.time.Duration.ofSeconds(30)).until(() -> leaderName().equals("sched-a"));
    ExternalProcess b = scheduler("sched-b");

    store.txn().create(Tables.SERVICES, "web", Service.newBuilder().setId("web").setSpec(ServiceSpec.newBuilder()
        .setName("web").setContainer(ContainerSpec.newBuilder().setImage("img:1"))
        .setRestartPolicy(RestartPolicy.newBuilder().setDelay(Duration.getDefaultInstance()))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(6))).build()).commit();
    await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
      agentsStep();
      return tasks().size() == 6 && tasks().stream().allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_RUNNING);
    });
    await().atMost(java.time.Duration.ofSeconds(20)).until(() -> b.tail().contains("scheduler sched-b/")
        && b.tail().contains("waits: sched-a/"));
    Set<String> before = tasks().stream().map(Task::getId).collect(Collectors.toSet());

    a.kill();
    // While nobody leads: a task fails and the service scales to 8.
    Task victim = tasks().stream().filter(t -> t.getSlot() == 2).findFirst().orElseThrow();
    store.txn().update(Tables.TASKS, victim.getId(), victim.toBuilder().setStatus(victim.getStatus().toBuilder()
        .setState(TaskState.TASK_STATE_FAILED)).build(), victim.getVersion()).commit();
    setReplicas(8);

    await().atMost(java.time.Duration.ofSeconds(15)).until(() -> leaderName().equals("sched-b"));
    await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
      agentsStep();
      return runningPerSlot().size() == 8
          && tasks().stream().filter(t -> t.getDesiredState() == TaskState.TASK_STATE_RUNNING)
              .allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_RUNNING);
    });

    assertThat(runningPerSlot()).allSatisfy((slot, count) -> assertThat(count).isEqualTo(1L));
    assertThat(tasks()).hasSize(9); // 8 running + the failed one kept as history
    // The five tasks that kept running are still the same tasks.
    assertThat(tasks().stream().filter(t -> t.getDesiredState() == TaskState.TASK_STATE_RUNNING)
        .map(Task::getId).filter(before::contains)).hasSize(5);
    assertThat(b.isAlive()).isTrue();
  }

  @Test
  void aLeaderThatLosesItsKeyStepsDownAndLeadsAgainWithoutExiting() {
    ExternalProcess a = scheduler("sched-a");
    await().atMost(java.time.Duration.ofSeconds(30)).until(() -> leaderName().equals("sched-a"));
    store.txn().create(Tables.SERVICES, "web", Service.newBuilder().setId("web").setSpec(ServiceSpec.newBuilder()
        .setName("web").setContainer(ContainerSpec.newBuilder().setImage("img:1"))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(3))).build()).commit();
    await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
      agentsStep();
      return runningPerSlot().size() == 3
          && tasks().stream().allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_RUNNING);
    });

    // Its key goes to someone else (as after a long pause past its lease): it steps down.
    long intruder = store.grantLease(60);
    store.txn().requireValue(LeaderElection.KEY, store.getString(LeaderElection.KEY).orElseThrow())
        .putBytes(LeaderElection.KEY, "intruder/0#1".getBytes(java.nio.charset.StandardCharsets.UTF_8), intruder)
        .commit();
    await().atMost(java.time.Duration.ofSeconds(10)).until(() -> a.tail().contains("steps down"));
    // While it does not lead, nothing acts on a change.
    setReplicas(5);
    await().during(java.time.Duration.ofSeconds(1)).atMost(java.time.Duration.ofSeconds(3))
        .until(() -> tasks().size() == 3);

    // The other leader goes: the same process leads again, from a fresh list-then-watch.
    store.revokeLease(intruder);
    await().atMost(java.time.Duration.ofSeconds(15)).until(() -> leaderName().equals("sched-a"));
    await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
      agentsStep();
      return runningPerSlot().size() == 5
          && tasks().stream().allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_RUNNING);
    });
    assertThat(runningPerSlot()).allSatisfy((slot, count) -> assertThat(count).isEqualTo(1L));
    assertThat(tasks()).hasSize(5);
    assertThat(a.isAlive()).isTrue();
  }
}
