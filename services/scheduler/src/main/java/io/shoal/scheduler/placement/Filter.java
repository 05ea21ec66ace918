package io.shoal.scheduler.placement;

import io.shoal.api.v1.Task;

/**
 * One reason a node can't take a task (SwarmKit's scheduler filters). Each filter checks one
 * thing and explains, in Swarm's words, how many nodes it turned away.
 */
public interface Filter {
  /** False when the task asks nothing of this filter (it then passes every node). */
  default boolean appliesTo(Task task) {
    return true;
  }

  /**
   * Whether the answer can change as this pass places tasks (ports taken, replicas or resources
   * used). A filter that looks at the node alone returns false, and lets the placer place a
   * service's tasks from a heap instead of scanning every node for each.
   */
  default boolean dependsOnPlacedTasks() {
    return true;
  }

  /** Whether {@code node} can take {@code task}. */
  boolean check(Task task, NodeInfo node);

  /** Why {@code nodes} nodes failed this filter, e.g. "host-mode port already in use on 2 nodes". */
  String explain(int nodes);

  static String nodes(int n) {
    return n == 1 ? "1 node" : n + " nodes";
  }
}
