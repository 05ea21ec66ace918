package io.shoal.scheduler.placement;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.scheduler.ClusterView;
import io.shoal.scheduler.Plan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Places tasks that wait for a node: runs the filters over every node, then picks the fitting
 * node by the service's spread preferences ({@link SpreadPreference}), then with the fewest
 * tasks of the same service, then the fewest tasks overall. A task that
 * fits nowhere stays PENDING with the filters' explanations, commonest first.
 */
public final class Placer {
  private final List<Filter> filters;
  private final Supplier<com.google.protobuf.Timestamp> clock;
  /** Rebuilt at the start of each pass; the scheduler loop calls {@link #place} from one thread. */
  private RecentRejections rejections = RecentRejections.NONE;
  private boolean anyRejected;

  public Placer(List<Filter> filters, Supplier<com.google.protobuf.Timestamp> clock) {
    this.filters = filters;
    this.clock = clock;
  }

  public void place(ClusterView view, Plan plan) {
    rejections = RecentRejections.of(view.tasks().values(), clock.get());
    // Comparing rejections costs two map keys per node and task; skip it when nothing was rejected.
    anyRejected = view.tasks().values().stream()
        .anyMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_REJECTED);
    Map<String, NodeInfo> nodes = new LinkedHashMap<>();
    view.nodes().values().stream().sorted(Comparator.comparing(Node::getId))
        .forEach(n -> nodes.put(n.getId(), new NodeInfo(n)));
    List<Task> waiting = new ArrayList<>();
    for (Task stored : view.tasks().values()) {
      account(plan.current(stored), nodes, waiting);
    }
    for (Task created : plan.creates()) {
      account(created, nodes, waiting);
    }
    waiting.sort(Comparator.comparing(Task::getServiceId).thenComparingLong(Task::getSlot));
    for (Task task : waiting) {
      placeOne(task, nodes, plan);
    }
  }

  private static void account(Task task, Map<String, NodeInfo> nodes, List<Task> waiting) {
    if (task.getDesiredState() != TaskState.TASK_STATE_RUNNING || ClusterView.terminal(task.getStatus().getState())) {
      return;
    }
    if (ClusterView.assigned(task)) {
      NodeInfo node = nodes.get(task.getNodeId());
      if (node != null) {
        node.add(task);
      }
    } else {
      waiting.add(task);
    }
  }

  private void placeOne(Task task, Map<String, NodeInfo> nodes, Plan plan) {
    List<NodeInfo> candidates = task.getNodeId().isEmpty()
        ? new ArrayList<>(nodes.values())
        : nodes.containsKey(task.getNodeId()) ? List.of(nodes.get(task.getNodeId())) : List.of();
    SpreadPreference spread = SpreadPreference.of(task, nodes.values());
    int[] failures = new int[filters.size()];
    NodeInfo best = null;
    for (NodeInfo node : candidates) {
      boolean fits = true;
      for (int i = 0; i < filters.size() && fits; i++) {
        Filter f = filters.get(i);
        if (f.appliesTo(task) && !f.check(task, node)) {
          failures[i]++;
          fits = false;
        }
      }
      // Nodes that recently rejected this service's tasks come last (SwarmKit's failure tracking).
      int rejected = best == null || !anyRejected ? 0 : rejections.compare(task, node, best);
      if (fits && (best == null || rejected < 0 || (rejected == 0 && better(node, best, task.getServiceId(), spread)))) {
        best = node;
      }
    }
    TaskStatus.Builder status = TaskStatus.newBuilder().setTimestamp(clock.get());
    if (best != null) {
      best.add(task);
      plan.update(task.toBuilder().setNodeId(best.id())
          .setStatus(status.setState(TaskState.TASK_STATE_ASSIGNED).setMessage("scheduler assigned task to node"))
          .build());
      return;
    }
    String reason = explain(failures);
    if (task.getStatus().getState() != TaskState.TASK_STATE_PENDING || !task.getStatus().getErr().equals(reason)) {
      plan.update(task.toBuilder()
          .setStatus(status.setState(TaskState.TASK_STATE_PENDING).setMessage("pending task scheduling").setErr(reason))
          .build());
    }
  }

  private static boolean better(NodeInfo a, NodeInfo b, String serviceId, SpreadPreference spread) {
    int bySpread = spread.compare(a, b);
    if (bySpread != 0) {
      return bySpread < 0;
    }
    if (a.tasksOf(serviceId) != b.tasksOf(serviceId)) {
      return a.tasksOf(serviceId) < b.tasksOf(serviceId);
    }
    return a.tasks() < b.tasks();
  }

  String explain(int[] failures) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < failures.length; i++) {
      if (failures[i] > 0) {
        order.add(i);
      }
    }
    if (order.isEmpty()) {
      return "no suitable node";
    }
    order.sort(Comparator.comparingInt((Integer i) -> failures[i]).reversed());
    List<String> parts = new ArrayList<>();
    for (int i : order) {
      parts.add(filters.get(i).explain(failures[i]));
    }
    return "no suitable node (" + String.join("; ", parts) + ")";
  }
}
