package io.shoal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.UpdateConfig;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.time.Timestamps;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stored values out of range, written straight into etcd (as an older control or a hand edit
 * would, bypassing control's checks), on the real loop: the service holding one is marked with
 * a reason and left alone, a task time out of range is unknown, and every other service keeps
 * converging. Before, either one made every pass throw and be retried every 50 ms for ever.
 */
@ExtendWith(EtcdExtension.class)
class PoisonedServiceIT {
  private EtcdStore store;
  private SchedulerLoop loop;

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    for (String n : List.of("n1", "n2", "n3")) {
      store.txn().create(Tables.NODES, n, Fixtures.ready(n)).commit();
    }
  }

  @AfterEach
  void stop() {
    if (loop != null) {
      loop.close();
    }
    store.close();
  }

  private static Timestamp ago(int seconds) {
    return Timestamps.toTimestamp(Instant.now().minusSeconds(seconds));
  }

  private List<Task> tasksOf(String serviceId) {
    return store.list(Tables.TASKS).items().stream().filter(t -> t.getServiceId().equals(serviceId)).toList();
  }

  private Service service(String id) {
    return Fixtures.read(store, id);
  }

  private static Task task(String id, Service s, long slot, String node, TaskState state, Timestamp created, Timestamp status) {
    Task t = Fixtures.task(id, s, slot, node, state, 0);
    return t.toBuilder().setCreateTime(created).setStatus(t.getStatus().toBuilder().setTimestamp(status)).build();
  }

  @Test
  void aServiceOutOfRangeIsMarkedWhileTheOthersConverge() {
    // "poisoned": updating to img:2 with a delay of 1e17 s; its first new task runs.
    Service v1 = Fixtures.service("poisoned", 2);
    Service poisoned = v1.toBuilder().setPreviousSpec(v1.getSpec()).setUpdateTime(ago(10))
        .setSpec(v1.getSpec().toBuilder().setContainer(ContainerSpec.newBuilder().setImage("img:2"))
            .setUpdateConfig(UpdateConfig.newBuilder().setParallelism(1)
                .setDelay(com.google.protobuf.Duration.newBuilder().setSeconds(100_000_000_000_000_000L))))
        .setUpdateStatus(UpdateStatus.newBuilder().setState(UpdateState.UPDATE_STATE_UPDATING).setStartTime(ago(10)))
        .build();
    store.txn().create(Tables.SERVICES, "poisoned", poisoned)
        .create(Tables.TASKS, "poisoned-new1",
            task("poisoned-new1", poisoned, 1, "n1", TaskState.TASK_STATE_RUNNING, ago(5), ago(4)))
        .create(Tables.TASKS, "poisoned-old2",
            task("poisoned-old2", v1, 2, "n2", TaskState.TASK_STATE_RUNNING, ago(60), ago(60)))
        .commit();
    // "restarting": its task failed, and its node reported the time as Long.MAX seconds.
    Service restarting = Fixtures.service("restarting", 1);
    store.txn().create(Tables.SERVICES, "restarting", restarting)
        .create(Tables.TASKS, "restarting-1", task("restarting-1", restarting, 1, "n3", TaskState.TASK_STATE_FAILED,
            ago(60), Timestamp.newBuilder().setSeconds(Long.MAX_VALUE).build()))
        .commit();
    store.txn().create(Tables.SERVICES, "healthy", Fixtures.service("healthy", 3)).commit();

    loop = new SchedulerLoop(store.writingAs(io.shoal.common.store.Writer.SCHEDULER), Fixtures.reconciler(Clock.systemUTC(), 5));
    loop.start();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(tasksOf("healthy")).hasSize(3)
          .allSatisfy(t -> assertThat(t.getStatus().getState()).isEqualTo(TaskState.TASK_STATE_ASSIGNED));
      // The unknown time reads as unset: the restart delay (5 s) ran from the task's creation.
      assertThat(tasksOf("restarting")).filteredOn(t -> t.getDesiredState() == TaskState.TASK_STATE_RUNNING)
          .singleElement().satisfies(t -> {
            assertThat(t.getId()).isNotEqualTo("restarting-1");
            assertThat(t.getStatus().getState()).isEqualTo(TaskState.TASK_STATE_ASSIGNED);
          });
      assertThat(service("poisoned").getReconcileError()).isEqualTo("update_config.delay: 100000000000000000s"
          + " is above the limit of 9223372036s (2^63 ns, Docker's longest duration)");
    });
    assertThat(service("restarting").getReconcileError()).isEmpty();
    assertThat(service("healthy").getReconcileError()).isEmpty();
    // Left as it was: both tasks still run, the update is where it stood.
    assertThat(tasksOf("poisoned")).hasSize(2)
        .allSatisfy(t -> assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_RUNNING));
    assertThat(service("poisoned").getUpdateStatus()).isEqualTo(poisoned.getUpdateStatus());

    // Fixed the way control stores a spec: the reason goes and the update goes on.
    Service marked = store.get(Tables.SERVICES, "poisoned").orElseThrow();
    store.txn().update(Tables.SERVICES, "poisoned", marked.toBuilder().setSpec(marked.getSpec().toBuilder()
        .setUpdateConfig(UpdateConfig.newBuilder().setParallelism(1))).build(), marked.getVersion()).commit();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(service("poisoned").getReconcileError()).isEmpty();
      assertThat(tasksOf("poisoned")).filteredOn(t -> t.getId().equals("poisoned-old2")).singleElement()
          .satisfies(t -> assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN));
    });
  }
}
