package io.shoal.scheduler.placement;

import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.scheduler.StoredValues;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Nodes where tasks of a service were recently REJECTED (the node could not prepare them: the
 * image could not be pulled there, e.g. without the registry credentials) come last when the
 * service's next task is placed, as SwarmKit's scheduler does with its per-node failure
 * tracking. A preference, not a filter: when every fitting node rejected the service, the task
 * still goes to one of them and is retried there, as in Swarm.
 *
 * <p>Only rejections of the same image count (an update to another image starts afresh), and
 * only those of the last {@link #WINDOW}.
 */
public final class RecentRejections {
  /** SwarmKit's monitor window for task failures on a node. */
  static final Duration WINDOW = Duration.ofMinutes(5);
  static final RecentRejections NONE = new RecentRejections(Map.of());

  private final Map<String, Integer> counts;

  private RecentRejections(Map<String, Integer> counts) {
    this.counts = counts;
  }

  /**
   * Counts the REJECTED tasks among {@code tasks} whose status is at most {@link #WINDOW} older
   * than {@code now}; one whose time is unknown (unset or out of range) counts.
   */
  public static RecentRejections of(Collection<Task> tasks, Instant now) {
    Instant since = now.minus(WINDOW);
    Map<String, Integer> counts = new HashMap<>();
    for (Task t : tasks) {
      if (t.getStatus().getState() != TaskState.TASK_STATE_REJECTED || t.getNodeId().isEmpty()) {
        continue;
      }
      Instant at = StoredValues.instant(t.getStatus().getTimestamp(), now);
      if (!at.equals(Instant.EPOCH) && at.isBefore(since)) {
        continue;
      }
      counts.merge(key(t, t.getNodeId()), 1, Integer::sum);
    }
    return new RecentRejections(counts);
  }

  /** How many tasks of {@code task}'s service and image {@code node} rejected recently. */
  public int on(Task task, NodeInfo node) {
    return counts.getOrDefault(key(task, node.id()), 0);
  }

  /** Negative when {@code a} rejected the service's tasks less often than {@code b}. */
  public int compare(Task task, NodeInfo a, NodeInfo b) {
    return Integer.compare(on(task, a), on(task, b));
  }

  private static String key(Task task, String nodeId) {
    return task.getServiceId() + '\0' + task.getSpec().getContainer().getImage() + '\0' + nodeId;
  }
}
