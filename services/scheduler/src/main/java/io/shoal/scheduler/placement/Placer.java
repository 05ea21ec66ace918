package io.shoal.scheduler.placement;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.task.TaskStates;
import io.shoal.common.time.Timestamps;
import io.shoal.scheduler.ClusterView;
import io.shoal.scheduler.Plan;
import io.shoal.scheduler.network.AddressAllocator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Places tasks that wait for a node: runs the filters over every node, then picks the fitting
 * node the preferences rank first: by default away from nodes that recently rejected the
 * service, by the service's spread preferences ({@link SpreadPreference}), then with the fewest
 * tasks of the same service, then the fewest tasks overall ({@link PlacementPlugins}). A task
 * that fits nowhere stays PENDING with the filters' explanations, commonest first.
 */
public final class Placer {
  private final List<Filter> filters;
  private final List<Preference> preferences;
  private final Supplier<com.google.protobuf.Timestamp> clock;

  /** With every preference, in their order. */
  public Placer(List<Filter> filters, Supplier<com.google.protobuf.Timestamp> clock) {
    this(filters, PlacementPlugins.preferences(Set.of()), clock);
  }

  /** The scheduler loop calls {@link #place} from one thread: preferences keep a pass's state. */
  public Placer(List<Filter> filters, List<Preference> preferences, Supplier<com.google.protobuf.Timestamp> clock) {
    this.filters = filters;
    this.preferences = preferences;
    this.clock = clock;
  }

  public void place(ClusterView view, Plan plan) {
    place(view, plan, Set.of(), (serviceId, e) -> {
      throw e;
    });
  }

  /**
   * Places the waiting tasks of every service but those in {@code skip} (their tasks still count
   * on their nodes). A service whose placement throws is reported to {@code failed}, and what
   * this pass decided for it is taken back; the other services are placed all the same.
   */
  public void place(ClusterView view, Plan plan, Set<String> skip, BiConsumer<String, RuntimeException> failed) {
    Instant now = Timestamps.toInstant(clock.get());
    preferences.forEach(p -> p.startPass(view.tasks().values(), now));
    Map<String, NodeInfo> nodes = new LinkedHashMap<>();
    view.nodes().values().stream().sorted(Comparator.comparing(Node::getId))
        .forEach(n -> nodes.put(n.getId(), new NodeInfo(n)));
    List<Task> waiting = new ArrayList<>();
    for (Task stored : view.tasks().values()) {
      // A task this pass deletes (its service was removed) is neither placed nor counted.
      if (!plan.deletes(stored)) {
        account(plan.current(stored), nodes, waiting);
      }
    }
    for (Task created : plan.creates()) {
      account(created, nodes, waiting);
    }
    waiting.removeIf(t -> skip.contains(t.getServiceId()));
    waiting.sort(Comparator.comparing(Task::getServiceId).thenComparing(Task::getSlot, Long::compareUnsigned));
    for (int i = 0; i < waiting.size(); ) {
      String serviceId = waiting.get(i).getServiceId();
      int end = i + 1;
      while (end < waiting.size() && waiting.get(end).getServiceId().equals(serviceId)) {
        end++;
      }
      List<Task> ofService = waiting.subList(i, end);
      // On failure the plan forgets this service's placements; its nodes keep counting them for
      // the rest of the pass, which only errs on the cautious side until the next one.
      plan.allOrNothing(() -> placeService(ofService, nodes, plan)).ifPresent(e -> failed.accept(serviceId, e));
      i = end;
    }
  }

  /** Waiting tasks of one service, sorted by slot. */
  private void placeService(List<Task> waiting, Map<String, NodeInfo> nodes, Plan plan) {
    for (int i = 0; i < waiting.size(); ) {
      Task first = waiting.get(i);
      int end = i + 1;
      if (!groupable(first)) {
        placeOne(first, nodes, plan);
      } else {
        while (end < waiting.size() && groupable(waiting.get(end))
            && waiting.get(end).getSpec().equals(first.getSpec())) {
          end++;
        }
        placeGroup(waiting.subList(i, end), nodes, plan);
      }
      i = end;
    }
  }

  /**
   * A task whose fitting nodes don't depend on what this pass places, and whose nodes' order
   * changes only for the node that takes a task: only node-only filters apply, no preference
   * ranks by groups of nodes. Tasks of one service and spec like that are placed together from a
   * heap (SwarmKit's node heap), O(log nodes) each instead of a scan.
   */
  private boolean groupable(Task task) {
    if (!task.getNodeId().isEmpty()) {
      return false;
    }
    for (Filter f : filters) {
      if (f.appliesTo(task) && f.dependsOnPlacedTasks()) {
        return false;
      }
    }
    for (Preference p : preferences) {
      if (p.dependsOnOtherNodes(task)) {
        return false;
      }
    }
    return true;
  }

  /** The preferences' order of {@code nodes} for {@code task}, best first; ties stay as they are. */
  private Comparator<NodeInfo> order(Task task, Collection<NodeInfo> nodes) {
    Comparator<NodeInfo> order = (a, b) -> 0;
    for (Preference p : preferences) {
      Comparator<NodeInfo> next = p.order(task, nodes);
      if (next != null) {
        order = order.thenComparing(next);
      }
    }
    return order;
  }

  private void placeGroup(List<Task> tasks, Map<String, NodeInfo> nodes, Plan plan) {
    Task first = tasks.get(0);
    int[] failures = new int[filters.size()];
    List<NodeInfo> fitting = new ArrayList<>();
    for (NodeInfo node : nodes.values()) {
      if (fits(first, node, failures)) {
        fitting.add(node);
      }
    }
    if (fitting.isEmpty()) {
      String reason = explain(failures);
      tasks.forEach(t -> pending(t, reason, plan));
      return;
    }
    // The order placeOne() scans in, the node id breaking ties as its scan does. Only the node
    // polled takes a task, so the others keep their place in the heap.
    PriorityQueue<NodeInfo> heap = new PriorityQueue<>(order(first, fitting).thenComparing(NodeInfo::id));
    heap.addAll(fitting);
    for (Task task : tasks) {
      NodeInfo best = heap.poll();
      assign(task, best, plan);
      heap.add(best);
    }
  }

  private boolean fits(Task task, NodeInfo node, int[] failures) {
    for (int i = 0; i < filters.size(); i++) {
      Filter f = filters.get(i);
      if (f.appliesTo(task) && !f.check(task, node)) {
        failures[i]++;
        return false;
      }
    }
    return true;
  }

  private void assign(Task task, NodeInfo node, Plan plan) {
    node.add(task);
    plan.update(task.toBuilder().setNodeId(node.id())
        .setStatus(TaskStatus.newBuilder().setTimestamp(clock.get())
            .setState(TaskState.TASK_STATE_ASSIGNED).setMessage("scheduler assigned task to node"))
        .build());
  }

  private void pending(Task task, String reason, Plan plan) {
    if (task.getStatus().getState() != TaskState.TASK_STATE_PENDING || !task.getStatus().getErr().equals(reason)) {
      plan.update(task.toBuilder()
          .setStatus(TaskStatus.newBuilder().setTimestamp(clock.get())
              .setState(TaskState.TASK_STATE_PENDING).setMessage("pending task scheduling").setErr(reason))
          .build());
    }
  }

  private static void account(Task task, Map<String, NodeInfo> nodes, List<Task> waiting) {
    if (task.getDesiredState() != TaskState.TASK_STATE_RUNNING || TaskStates.terminal(task.getStatus().getState())) {
      return;
    }
    if (ClusterView.assigned(task)) {
      NodeInfo node = nodes.get(task.getNodeId());
      if (node != null) {
        node.add(task);
      }
    } else if (AddressAllocator.attached(task)) {
      // One without its addresses waits PENDING with the allocator's reason.
      waiting.add(task);
    }
  }

  private void placeOne(Task task, Map<String, NodeInfo> nodes, Plan plan) {
    List<NodeInfo> candidates = task.getNodeId().isEmpty()
        ? new ArrayList<>(nodes.values())
        : nodes.containsKey(task.getNodeId()) ? List.of(nodes.get(task.getNodeId())) : List.of();
    Comparator<NodeInfo> order = order(task, nodes.values());
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
      if (fits && (best == null || order.compare(node, best) < 0)) {
        best = node;
      }
    }
    if (best != null) {
      assign(task, best, plan);
      return;
    }
    pending(task, explain(failures), plan);
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
