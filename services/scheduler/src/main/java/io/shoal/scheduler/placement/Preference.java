package io.shoal.scheduler.placement;

import io.shoal.api.v1.Task;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;

/**
 * How the placer ranks the nodes that pass every filter (kube-scheduler's score plugins, as an
 * order): nodes are compared by each preference in turn, the next breaking the ties of the one
 * before, and by node id last.
 */
public interface Preference {
  /** Called once at the start of each pass, with the tasks as stored and the pass's time. */
  default void startPass(Collection<Task> tasks, Instant now) {}

  /**
   * The order of {@code nodes} for {@code task}, best first, as this pass stands now (the nodes
   * count the tasks placed so far); null when the preference has no say for the task.
   */
  Comparator<NodeInfo> order(Task task, Collection<NodeInfo> nodes);

  /**
   * Whether placing a task on one node can change how two other nodes compare for {@code task}
   * (spreading over groups of nodes). Such tasks are placed one at a time; the others of one
   * service and spec are placed together from a heap.
   */
  default boolean dependsOnOtherNodes(Task task) {
    return false;
  }
}
