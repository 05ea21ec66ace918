package io.shoal.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Status reports go to etcd in batches, keep their order per task, and survive lost races. */
@ExtendWith(EtcdExtension.class)
class TaskStatusBatchingIT {
  private EtcdStore store;
  private final DispatcherMetrics metrics = DispatcherMetrics.noop();
  private TaskStatusWriter writer;

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    writer = new TaskStatusWriter(store, metrics, TaskStatusWriter.CAPACITY);
  }

  @AfterEach
  void stop() {
    writer.close();
    store.close();
  }

  private void createTasks(int n, String node) {
    for (int from = 0; from < n; from += 100) {
      var txn = store.txn();
      for (int i = from; i < Math.min(n, from + 100); i++) {
        txn.create(Tables.TASKS, "t" + i, Task.newBuilder().setId("t" + i).setNodeId(node)
            .setDesiredState(TaskState.TASK_STATE_RUNNING)
            .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_ASSIGNED)).build());
      }
      txn.commit();
    }
  }

  private static TaskStatus status(TaskState s) {
    return TaskStatus.newBuilder().setState(s).setMessage(s.name()).build();
  }

  /**
   * How many transactions last wrote this test's {@code n} tasks: the tasks one transaction writes
   * share its revision. (etcd's own revision counts other tests' writes to the shared etcd too.)
   */
  private long transactionsWriting(int n) {
    List<Task> tasks = store.list(Tables.TASKS).items();
    assertThat(tasks).hasSize(n);
    return tasks.stream().mapToLong(Task::getVersion).distinct().count();
  }

  @Test
  void manyReportsTakeFewTransactions() {
    createTasks(250, "n1");

    for (int i = 0; i < 250; i++) {
      writer.submit("n1", "t" + i, status(TaskState.TASK_STATE_RUNNING));
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> store.list(Tables.TASKS).items().stream()
        .allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_RUNNING));
    // 250 tasks in batches of at most 100: three transactions if all arrived during one write,
    // and far fewer than one per report in any case.
    assertThat(transactionsWriting(250)).isLessThanOrEqualTo(10);
  }

  @Test
  void aBurstIsWrittenAsConcurrentBatchesWithNoneLost() {
    createTasks(1000, "n1");
    List<TaskStatusWriter.Report> burst = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      burst.add(new TaskStatusWriter.Report("n1", "t" + i, status(TaskState.TASK_STATE_RUNNING)));
    }

    writer.flush(burst); // returns once every batch is written: more batches than IN_FLIGHT

    assertThat(store.list(Tables.TASKS).items()).hasSize(1000)
        .allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_RUNNING);
    assertThat(transactionsWriting(1000)).isEqualTo(1000 / TaskStatusWriter.BATCH); // one txn per batch
  }

  @Test
  void reportsOfTasksWithLargeSpecsLandInTransactionsEtcdTakes() {
    // 150 tasks carrying 16 KiB of env: 100 of them in one transaction are over etcd's 1.5 MiB.
    var spec = io.shoal.api.v1.ServiceSpec.newBuilder().setContainer(
        io.shoal.api.v1.ContainerSpec.newBuilder().setImage("web").addEnv("X=" + "x".repeat(16 << 10)));
    for (int from = 0; from < 150; from += 50) {
      var txn = store.txn();
      for (int i = from; i < from + 50; i++) {
        txn.create(Tables.TASKS, "t" + i, Task.newBuilder().setId("t" + i).setNodeId("n1").setSpec(spec)
            .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_ASSIGNED)).build());
      }
      txn.commit();
    }
    List<TaskStatusWriter.Report> burst = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      burst.add(new TaskStatusWriter.Report("n1", "t" + i, status(TaskState.TASK_STATE_RUNNING)));
    }

    writer.flush(burst);

    assertThat(store.list(Tables.TASKS).items()).hasSize(150)
        .allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_RUNNING);
  }

  @Test
  void reportsOfOneTaskKeepTheirOrderAndStaleOnesAreDropped() {
    createTasks(1, "n1");

    writer.submit("n1", "t0", status(TaskState.TASK_STATE_PREPARING));
    writer.submit("n1", "t0", status(TaskState.TASK_STATE_RUNNING));
    writer.submit("n1", "t0", status(TaskState.TASK_STATE_STARTING)); // late and stale
    writer.submit("n2", "t0", status(TaskState.TASK_STATE_FAILED)); // another node's report

    await().atMost(Duration.ofSeconds(10)).until(() ->
        store.get(Tables.TASKS, "t0").orElseThrow().getStatus().getState() == TaskState.TASK_STATE_RUNNING);
    writer.submit("n1", "t0", status(TaskState.TASK_STATE_COMPLETE));
    await().atMost(Duration.ofSeconds(10)).until(() ->
        store.get(Tables.TASKS, "t0").orElseThrow().getStatus().getState() == TaskState.TASK_STATE_COMPLETE);
  }

  @Test
  void aBatchThatLosesARaceWithTheSchedulerIsWrittenFromAFreshRead() {
    createTasks(3, "n1");
    List<Task> read = new ArrayList<>(store.list(Tables.TASKS).items());
    // Seen by the writer first (its last-written memory is empty; it reads etcd), then the
    // scheduler changes t1's desired state before the batch lands.
    Task t1 = read.stream().filter(t -> t.getId().equals("t1")).findFirst().orElseThrow();

    for (int i = 0; i < 3; i++) {
      writer.submit("n1", "t" + i, status(TaskState.TASK_STATE_RUNNING));
    }
    store.txn().update(Tables.TASKS, "t1", t1.toBuilder().setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build(),
        t1.getVersion()).commit();

    await().atMost(Duration.ofSeconds(10)).until(() -> store.list(Tables.TASKS).items().stream()
        .allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_RUNNING));
    assertThat(store.get(Tables.TASKS, "t1").orElseThrow().getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN);
  }

  @Test
  void aReportThatCanNeverBeWrittenIsSetAsideAndTheOthersAreStored() {
    createTasks(20, "n1");

    // A state this build does not know (the dispatcher refuses it on arrival; the writer must
    // survive it all the same), and a report bigger than etcd takes in one request.
    writer.submit("n1", "t0", TaskStatus.newBuilder().setStateValue(99).build());
    writer.submit("n1", "t1", status(TaskState.TASK_STATE_FAILED).toBuilder().setErr("x".repeat(2 << 20)).build());
    for (int i = 2; i < 20; i++) {
      writer.submit("n1", "t" + i, status(TaskState.TASK_STATE_RUNNING));
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> store.list(Tables.TASKS).items().stream()
        .filter(t -> !t.getId().equals("t0") && !t.getId().equals("t1"))
        .allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_RUNNING));
    // Both are set aside at once: the unknown state as it cannot be written, the oversized
    // report when etcd refuses it even alone.
    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("set_aside.permanent") == 1
        && metrics.count("set_aside.too_large") == 1);
    assertThat(writer.held()).isZero();
    assertThat(store.get(Tables.TASKS, "t0").orElseThrow().getStatus().getState()).isEqualTo(TaskState.TASK_STATE_ASSIGNED);

    // Later reports are stored as before: nothing was put back to fail again.
    writer.submit("n1", "t0", status(TaskState.TASK_STATE_RUNNING));
    await().atMost(Duration.ofSeconds(10)).until(() ->
        store.get(Tables.TASKS, "t0").orElseThrow().getStatus().getState() == TaskState.TASK_STATE_RUNNING);
  }

  @Test
  void aFullQueueMakesReportsWaitAndLosesNone() {
    writer.close();
    writer = new TaskStatusWriter(store, metrics, 10);
    createTasks(100, "n1");
    java.util.concurrent.atomic.AtomicInteger acceptedLater = new java.util.concurrent.atomic.AtomicInteger();
    int refusedNow = 0;

    for (int i = 0; i < 100; i++) {
      if (!writer.submit(new TaskStatusWriter.Report("n1", "t" + i, status(TaskState.TASK_STATE_RUNNING)),
          acceptedLater::incrementAndGet)) {
        refusedNow++;
      }
      assertThat(writer.held()).isLessThanOrEqualTo(10);
    }

    assertThat(refusedNow).isGreaterThanOrEqualTo(90);
    await().atMost(Duration.ofSeconds(30)).until(() -> store.list(Tables.TASKS).items().stream()
        .allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_RUNNING));
    assertThat(acceptedLater).hasValue(refusedNow);
    assertThat(metrics.count("queue_full")).isEqualTo(refusedNow);
  }
}
