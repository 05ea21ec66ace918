package io.shoal.scheduler.placement;

import io.shoal.api.v1.PlacementPreference;
import io.shoal.api.v1.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * --placement-pref spread=node.labels.KEY (nested, in order), the scorer before the default
 * spread: nodes are grouped by the label's value (nodes without it form one group), and a task
 * goes to the group holding fewest tasks of its service; a second preference splits each group
 * again, and so on (SwarmKit's decision tree, flattened to a lexicographic comparison).
 */
final class SpreadPreference {
  static final SpreadPreference NONE = new SpreadPreference(List.of(), List.of(), "");

  private final List<String> labels;
  /** Per level: tasks of the service in each group (group key = label values down to the level). */
  private final List<Map<String, Integer>> counts;
  private final String serviceId;

  private SpreadPreference(List<String> labels, List<Map<String, Integer>> counts, String serviceId) {
    this.labels = labels;
    this.counts = counts;
    this.serviceId = serviceId;
  }

  /** Counts the service's tasks per group over every node, as they stand in this pass. */
  static SpreadPreference of(Task task, Collection<NodeInfo> nodes) {
    List<String> labels = new ArrayList<>();
    for (PlacementPreference p : task.getSpec().getPlacement().getPreferencesList()) {
      String d = p.getSpread();
      if (d.startsWith("node.labels.")) {
        labels.add(d.substring("node.labels.".length()));
      }
    }
    if (labels.isEmpty()) {
      return NONE;
    }
    SpreadPreference s = new SpreadPreference(labels, new ArrayList<>(), task.getServiceId());
    for (int level = 0; level < labels.size(); level++) {
      Map<String, Integer> byGroup = new HashMap<>();
      for (NodeInfo n : nodes) {
        byGroup.merge(s.group(n, level), n.tasksOf(task.getServiceId()), Integer::sum);
      }
      s.counts.add(byGroup);
    }
    return s;
  }

  private String group(NodeInfo node, int level) {
    StringBuilder key = new StringBuilder();
    for (int i = 0; i <= level; i++) {
      key.append(node.node().getSpec().getLabelsMap().getOrDefault(labels.get(i), "")).append('\0');
    }
    return key.toString();
  }

  /** Negative when {@code a}'s groups hold fewer of the service's tasks than {@code b}'s. */
  int compare(NodeInfo a, NodeInfo b) {
    for (int level = 0; level < labels.size(); level++) {
      int ca = counts.get(level).getOrDefault(group(a, level), 0);
      int cb = counts.get(level).getOrDefault(group(b, level), 0);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
    }
    return 0;
  }

  String serviceId() {
    return serviceId;
  }
}
