package io.shoal.scheduler.metrics;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import java.util.HashMap;
import java.util.Map;
import java.util.Map.Entry;

/**
 * What the cluster holds, counted for the gauges: tasks by service and state, each service's
 * desired and running replicas, PENDING tasks by service and reason, nodes by state and
 * availability. Pure: made from the scheduler's view of one pass.
 *
 * @param tasks (service name, state name) → tasks in etcd, finished ones kept as history included
 * @param desired service name → tasks whose desired state is RUNNING (a global service: one per eligible node)
 * @param running service name → tasks RUNNING and meant to be
 * @param pending (service name, reason) → PENDING tasks, by the reason's general part
 * @param nodes (state name, availability name) → nodes
 */
public record ClusterCounts(Map<Entry<String, String>, Long> tasks, Map<String, Long> desired,
    Map<String, Long> running, Map<Entry<String, String>, Long> pending, Map<Entry<String, String>, Long> nodes) {
  /** A reason longer than this is cut: a label value stays small. */
  static final int MAX_REASON = 80;

  public static final ClusterCounts NONE = new ClusterCounts(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  public static ClusterCounts of(Map<String, Service> services, Map<String, Task> tasks, Map<String, Node> nodes) {
    Map<Entry<String, String>, Long> byState = new HashMap<>();
    Map<String, Long> desired = new HashMap<>();
    Map<String, Long> running = new HashMap<>();
    Map<Entry<String, String>, Long> pending = new HashMap<>();
    for (Service service : services.values()) {
      String name = service.getSpec().getName();
      if (service.getSpec().hasReplicated()) {
        desired.put(name, service.getSpec().getReplicated().getReplicas());
      }
      running.put(name, 0L);
    }
    for (Task task : tasks.values()) {
      Service service = services.get(task.getServiceId());
      if (service == null) {
        continue; // a removed service's tasks, on their way out
      }
      String name = service.getSpec().getName();
      TaskState state = task.getStatus().getState();
      byState.merge(Map.entry(name, stateName(state)), 1L, Long::sum);
      boolean meantToRun = task.getDesiredState() == TaskState.TASK_STATE_RUNNING;
      if (meantToRun && service.getSpec().hasGlobal()) {
        desired.merge(name, 1L, Long::sum);
      }
      if (meantToRun && state == TaskState.TASK_STATE_RUNNING) {
        running.merge(name, 1L, Long::sum);
      }
      if (state == TaskState.TASK_STATE_PENDING) {
        pending.merge(Map.entry(name, reason(task.getStatus().getErr())), 1L, Long::sum);
      }
    }
    Map<Entry<String, String>, Long> byNode = new HashMap<>();
    for (Node node : nodes.values()) {
      byNode.merge(Map.entry(lower(node.getStatus().getState().name(), "NODE_STATE_"),
          lower(node.getSpec().getAvailability().name(), "NODE_AVAILABILITY_")), 1L, Long::sum);
    }
    return new ClusterCounts(Map.copyOf(byState), Map.copyOf(desired), Map.copyOf(running), Map.copyOf(pending),
        Map.copyOf(byNode));
  }

  /** "running", "pending", … (Swarm's words). */
  static String stateName(TaskState state) {
    return lower(state.name(), "TASK_STATE_");
  }

  /**
   * The general part of a PENDING task's reason: "no suitable node (2 nodes not available …)"
   * counts as "no suitable node", so the label has a few values, not one per cluster shape.
   */
  static String reason(String err) {
    String general = err.isBlank() ? "unknown" : err.strip();
    int detail = general.indexOf(" (");
    if (detail > 0) {
      general = general.substring(0, detail);
    }
    return general.length() > MAX_REASON ? general.substring(0, MAX_REASON) : general;
  }

  private static String lower(String name, String prefix) {
    return (name.startsWith(prefix) ? name.substring(prefix.length()) : name).toLowerCase(java.util.Locale.ROOT);
  }
}
