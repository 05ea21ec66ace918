package io.shoal.scheduler;

import static io.shoal.scheduler.Fixtures.nodes;
import static io.shoal.scheduler.Fixtures.ready;
import static io.shoal.scheduler.Fixtures.service;
import static io.shoal.scheduler.Fixtures.task;
import static io.shoal.scheduler.Fixtures.view;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.Placement;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.UpdateConfig;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import io.shoal.common.ids.Ids;
import io.shoal.scheduler.network.AddressAllocator;
import io.shoal.scheduler.orchestrator.GlobalOrchestrator;
import io.shoal.scheduler.orchestrator.ReplicatedOrchestrator;
import io.shoal.scheduler.orchestrator.RestartSupervisor;
import io.shoal.scheduler.orchestrator.TaskFactory;
import io.shoal.scheduler.orchestrator.TaskReaper;
import io.shoal.scheduler.orchestrator.UpdateSupervisor;
import io.shoal.scheduler.placement.Filter;
import io.shoal.scheduler.placement.NodeInfo;
import io.shoal.scheduler.placement.Placer;
import io.shoal.scheduler.placement.ReadyFilter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One service that can't be reconciled (a stored value out of range, or a step that throws) is
 * skipped and marked with a reason; every other service converges in the same pass.
 */
class ServiceIsolationTest {
  static final long NOW = 1000;
  private final Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  private final Reconciler reconciler = Fixtures.reconciler(clock, 5);

  private static Timestamp at(long seconds) {
    return Timestamp.newBuilder().setSeconds(seconds).build();
  }

  /** An update to img:2 under way since 990, whose first new task runs since 995. */
  private static Service updating(String id, UpdateConfig config) {
    Service v1 = service(id, 2);
    return v1.toBuilder().setPreviousSpec(v1.getSpec()).setUpdateTime(at(990))
        .setSpec(v1.getSpec().toBuilder().setContainer(ContainerSpec.newBuilder().setImage("img:2"))
            .setUpdateConfig(config))
        .setUpdateStatus(UpdateStatus.newBuilder().setState(UpdateState.UPDATE_STATE_UPDATING).setStartTime(at(990)))
        .build();
  }

  private static List<Task> halfUpdated(Service s) {
    Task fresh = task(s.getId() + "-new1", s, 1, "n1", TaskState.TASK_STATE_RUNNING, 991);
    fresh = fresh.toBuilder().setStatus(fresh.getStatus().toBuilder().setTimestamp(at(995))).build();
    Task old = task(s.getId() + "-old2", service(s.getId(), 2), 2, "n2", TaskState.TASK_STATE_RUNNING, 1);
    return List.of(fresh, old);
  }

  @Test
  void anUpdateDelayOutOfRangeMarksItsServiceAndTheOthersConverge() {
    // 1e17 s: Instant.plus threw DateTimeException, and the whole pass with it.
    Service poisoned = updating("poisoned", UpdateConfig.newBuilder().setParallelism(1)
        .setDelay(Duration.newBuilder().setSeconds(100_000_000_000_000_000L)).build());
    Service healthy = service("healthy", 2);

    Plan plan = reconciler.reconcile(view(List.of(poisoned, healthy), halfUpdated(poisoned),
        nodes(ready("n1"), ready("n2"))));

    assertThat(plan.creates()).hasSize(2).allSatisfy(t -> {
      assertThat(t.getServiceId()).isEqualTo("healthy");
      assertThat(t.getStatus().getState()).isEqualTo(TaskState.TASK_STATE_ASSIGNED);
    });
    assertThat(plan.updates()).isEmpty();
    assertThat(plan.serviceUpdates()).singleElement().satisfies(s -> {
      assertThat(s.getId()).isEqualTo("poisoned");
      assertThat(s.getReconcileError()).isEqualTo("update_config.delay: 100000000000000000s is above the limit"
          + " of 9223372036s (2^63 ns, Docker's longest duration)");
      assertThat(s.getUpdateStatus()).isEqualTo(poisoned.getUpdateStatus());
    });
    assertThat(reconciler.unreconciled()).isEqualTo(1);
  }

  @Test
  void theReasonIsWrittenOnlyWhenItChangesAndClearedOnceTheServiceReconciles() {
    Service poisoned = updating("poisoned", UpdateConfig.newBuilder()
        .setMonitor(Duration.newBuilder().setSeconds(-1)).build());
    List<Task> tasks = halfUpdated(poisoned);
    Plan first = reconciler.reconcile(view(List.of(poisoned), tasks, nodes(ready("n1"), ready("n2"))));
    Service marked = first.serviceUpdates().iterator().next();
    assertThat(marked.getReconcileError()).isEqualTo("update_config.monitor: -1s is negative");

    Plan again = reconciler.reconcile(view(List.of(marked), tasks, nodes(ready("n1"), ready("n2"))));
    assertThat(again.isEmpty()).isTrue();

    // Fixed (as control would store it): the update goes on, and the reason goes in the same write.
    Service fixed = marked.toBuilder().setSpec(marked.getSpec().toBuilder()
        .setUpdateConfig(UpdateConfig.newBuilder().setParallelism(1))).build();
    Plan cleared = reconciler.reconcile(view(List.of(fixed), tasks, nodes(ready("n1"), ready("n2"))));
    assertThat(cleared.updates()).singleElement().satisfies(t -> {
      assertThat(t.getId()).isEqualTo("poisoned-old2");
      assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN);
    });
    assertThat(cleared.serviceUpdates()).singleElement()
        .satisfies(s -> assertThat(s.getReconcileError()).isEmpty());
    assertThat(reconciler.unreconciled()).isZero();
  }

  @Test
  void replicasAbove2To63AreOutOfRangeNotMinusOne() {
    // 2^64-1 read as -1 and stopped every task; now the service is left as it is, with a reason.
    Service huge = service("huge", -1L);
    Task running = task("t1", service("huge", 1), 1, "n1", TaskState.TASK_STATE_RUNNING, 1);

    Plan plan = reconciler.reconcile(view(List.of(huge), List.of(running), nodes(ready("n1"))));

    assertThat(plan.updates()).isEmpty();
    assertThat(plan.creates()).isEmpty();
    assertThat(plan.serviceUpdates()).singleElement().satisfies(s -> assertThat(s.getReconcileError())
        .isEqualTo("replicated.replicas: 18446744073709551615 is above the limit of 10000"));
  }

  @Test
  void aConstraintThatDoesNotParseMarksItsService() {
    Service bad = service("bad", 1);
    bad = bad.toBuilder().setSpec(bad.getSpec().toBuilder()
        .setPlacement(Placement.newBuilder().addConstraints("node.labels.zone=east"))).build();

    Plan plan = reconciler.reconcile(view(List.of(bad, service("ok", 1)), List.of(), nodes(ready("n1"))));

    assertThat(plan.creates()).singleElement().satisfies(t -> assertThat(t.getServiceId()).isEqualTo("ok"));
    assertThat(plan.serviceUpdates()).singleElement().satisfies(s -> assertThat(s.getReconcileError())
        .isEqualTo("placement.constraints: constraint \"node.labels.zone=east\" expected one operator from ==, !="));
  }

  @Test
  void aServiceWhosePlacementThrowsIsMarkedAndItsPlacementsTakenBack() {
    // A filter that fails for one service, after that service's first task was placed.
    Filter failsOnSlot2OfBad = new Filter() {
      @Override
      public boolean check(Task task, NodeInfo node) {
        if (task.getServiceId().equals("bad") && task.getSlot() == 2) {
          throw new IllegalStateException("boom");
        }
        return true;
      }

      @Override
      public String explain(int nodes) {
        return "";
      }
    };
    TaskFactory factory = new TaskFactory(clock, Ids::newId);
    RestartSupervisor restarts = new RestartSupervisor(clock);
    UpdateSupervisor updates = new UpdateSupervisor(clock);
    Reconciler withFailingFilter = new Reconciler(new ReplicatedOrchestrator(factory, restarts, updates),
        new GlobalOrchestrator(factory, restarts, updates), new TaskReaper(5),
        new Placer(List.of(new ReadyFilter(), failsOnSlot2OfBad), factory::now),
        new AddressAllocator(factory::now));

    Plan plan = withFailingFilter.reconcile(view(List.of(service("bad", 2), service("ok", 2)), List.of(),
        nodes(ready("n1"), ready("n2"))));

    // Both services' tasks are created; only ok's are placed; bad's first placement is undone.
    assertThat(plan.creates()).hasSize(4).allSatisfy(t -> assertThat(t.getStatus().getState()).isEqualTo(
        t.getServiceId().equals("ok") ? TaskState.TASK_STATE_ASSIGNED : TaskState.TASK_STATE_NEW));
    assertThat(plan.serviceUpdates()).singleElement().satisfies(s -> {
      assertThat(s.getId()).isEqualTo("bad");
      assertThat(s.getReconcileError()).isEqualTo("internal error: java.lang.IllegalStateException: boom");
    });
  }

  @Test
  void aStatusTimestampOutOfRangeIsUnknownSoTheRestartDelayRunsFromCreation() {
    // Long.MAX seconds: toInstant threw DateTimeException for the whole pass.
    Service web = service("web", 1);
    Task failed = task("t1", web, 1, "n1", TaskState.TASK_STATE_FAILED, 990);
    failed = failed.toBuilder().setStatus(failed.getStatus().toBuilder().setTimestamp(at(Long.MAX_VALUE))).build();

    Plan plan = reconciler.reconcile(view(List.of(web), List.of(failed), nodes(ready("n1"))));

    // Created at 990, Swarm's default delay of 5 s: due at 995, before now (1000).
    assertThat(plan.creates()).singleElement().satisfies(t -> assertThat(t.getSlot()).isEqualTo(1));
    assertThat(plan.updates()).singleElement()
        .satisfies(t -> assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN));
    assertThat(plan.serviceUpdates()).isEmpty();
  }
}
