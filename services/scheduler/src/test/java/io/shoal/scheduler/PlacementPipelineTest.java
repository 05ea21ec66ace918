package io.shoal.scheduler;

import static io.shoal.scheduler.Fixtures.nodes;
import static io.shoal.scheduler.Fixtures.ready;
import static io.shoal.scheduler.Fixtures.service;
import static io.shoal.scheduler.Fixtures.task;
import static io.shoal.scheduler.Fixtures.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.Placement;
import io.shoal.api.v1.PlacementPreference;
import io.shoal.api.v1.ResourceRequirements;
import io.shoal.api.v1.Resources;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The filters and the scorer together, through the reconciler. */
class PlacementPipelineTest {
  private final Reconciler reconciler =
      Fixtures.reconciler(Clock.fixed(Instant.ofEpochSecond(1000), ZoneOffset.UTC), 5);

  static Node labelled(String id, String zone, long cpus) {
    Node n = ready(id);
    return n.toBuilder().setSpec(n.getSpec().toBuilder().putLabels("zone", zone))
        .setDescription(NodeDescription.newBuilder().setHostname(id).setNanoCpus(cpus * 1_000_000_000L)
            .setMemoryBytes(1L << 30)).build();
  }

  static Service with(Service s, Placement p, long reserveCpus) {
    return s.toBuilder().setSpec(s.getSpec().toBuilder().setPlacement(p).setResources(ResourceRequirements.newBuilder()
        .setReservations(Resources.newBuilder().setNanoCpus(reserveCpus * 1_000_000_000L)))).build();
  }

  @Test
  void pendingReasonCountsTheNodesEachFilterTurnedAwayCommonestFirst() {
    Service web = with(service("web", 1),
        Placement.newBuilder().addConstraints("node.labels.zone==east").build(), 4);
    List<Node> nodes = nodes(labelled("w1", "west", 8), labelled("w2", "west", 8), labelled("e1", "east", 2));

    Task t = reconciler.reconcile(view(List.of(web), List.of(), nodes)).creates().iterator().next();

    assertThat(t.getStatus().getState()).isEqualTo(TaskState.TASK_STATE_PENDING);
    assertThat(t.getStatus().getErr())
        .isEqualTo("no suitable node (scheduling constraints not satisfied on 2 nodes; insufficient resources on 1 node)");
  }

  @Test
  void constraintsAndMaxReplicasPlaceWhereAllowed() {
    Service web = with(service("web", 3), Placement.newBuilder().addConstraints("node.labels.zone==east")
        .setMaxReplicas(1).build(), 0);
    List<Node> nodes = nodes(labelled("w1", "west", 8), labelled("e1", "east", 8), labelled("e2", "east", 8));

    Map<TaskState, List<Task>> byState = reconciler.reconcile(view(List.of(web), List.of(), nodes)).creates()
        .stream().collect(Collectors.groupingBy(t -> t.getStatus().getState()));

    assertThat(byState.get(TaskState.TASK_STATE_ASSIGNED)).extracting(Task::getNodeId).containsExactlyInAnyOrder("e1", "e2");
    assertThat(byState.get(TaskState.TASK_STATE_PENDING)).singleElement().satisfies(t -> assertThat(t.getStatus().getErr())
        .isEqualTo("no suitable node (max replicas per node limit exceed on 2 nodes; scheduling constraints not satisfied on 1 node)"));
  }

  @Test
  void spreadOverZonesBeforeNodes() {
    Service web = with(service("web", 4), Placement.newBuilder()
        .addPreferences(PlacementPreference.newBuilder().setSpread("node.labels.zone")).build(), 0);
    // Three nodes in east, one in west: a plain spread would put 3 of 4 tasks in east.
    List<Node> nodes = nodes(labelled("e1", "east", 8), labelled("e2", "east", 8), labelled("e3", "east", 8),
        labelled("w1", "west", 8));

    List<Task> created = List.copyOf(reconciler.reconcile(view(List.of(web), List.of(), nodes)).creates());

    assertThat(created.stream().filter(t -> t.getNodeId().equals("w1")).count()).isEqualTo(2);
  }

  @Test
  void aPlacementChangeRedeploysOnlyTasksWhoseNodeNoLongerFits() {
    Service v1 = service("web", 2);
    List<Task> tasks = List.of(task("a", v1, 1, "e1", TaskState.TASK_STATE_RUNNING, 1),
        task("b", v1, 2, "w1", TaskState.TASK_STATE_RUNNING, 1));
    Service v2 = with(v1, Placement.newBuilder().addConstraints("node.labels.zone==east").build(), 0);
    v2 = v2.toBuilder().setSpec(v2.getSpec().toBuilder().clearResources()).build();

    Plan plan = reconciler.reconcile(view(List.of(v2), tasks,
        nodes(labelled("e1", "east", 8), labelled("e2", "east", 8), labelled("w1", "west", 8))));

    assertThat(plan.updates()).singleElement().satisfies(t -> {
      assertThat(t.getId()).isEqualTo("b");
      assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN);
    });
  }
  @Test
  void aServicesTasksPlacedFromTheHeapLandWhereTheNodeScanPutsThem() {
    // Scan: a spread preference over a label every node shares changes nothing but forces the
    // per-task scan; heap: the same service without it.
    List<Node> nodes = new java.util.ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Node n = labelled("n" + i, "z", 8);
      nodes.add(n.toBuilder().setSpec(n.getSpec().toBuilder().putLabels("all", "1")).build());
    }
    Service other = service("other", 5);
    List<Task> existing = List.of(task("o1", other, 1, "n0", TaskState.TASK_STATE_RUNNING, 1),
        task("o2", other, 2, "n0", TaskState.TASK_STATE_RUNNING, 1), task("o3", other, 3, "n3", TaskState.TASK_STATE_RUNNING, 1),
        task("o4", other, 4, "n5", TaskState.TASK_STATE_RUNNING, 1), task("o5", other, 5, "n6", TaskState.TASK_STATE_RUNNING, 1));
    Service heap = service("web", 17);
    Service scan = with(heap, Placement.newBuilder()
        .addPreferences(PlacementPreference.newBuilder().setSpread("node.labels.all")).build(), 0);

    Map<Long, String> byHeap = reconciler.reconcile(view(List.of(heap, other), existing, nodes)).creates().stream()
        .collect(Collectors.toMap(Task::getSlot, Task::getNodeId));
    Map<Long, String> byScan = reconciler.reconcile(view(List.of(scan, other), existing, nodes)).creates().stream()
        .collect(Collectors.toMap(Task::getSlot, Task::getNodeId));

    assertThat(byHeap).hasSize(17).isEqualTo(byScan);
  }
}
