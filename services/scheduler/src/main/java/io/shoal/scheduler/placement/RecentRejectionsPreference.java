package io.shoal.scheduler.placement;

import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;

/** Nodes that recently rejected the service's tasks come last ({@link RecentRejections}). */
public final class RecentRejectionsPreference implements Preference {
  /** Rebuilt at the start of each pass; the scheduler loop places from one thread. */
  private RecentRejections rejections = RecentRejections.NONE;
  private boolean anyRejected;

  @Override
  public void startPass(Collection<Task> tasks, Instant now) {
    rejections = RecentRejections.of(tasks, now);
    // Comparing rejections costs two map keys per node and task; skip it when nothing was rejected.
    anyRejected = tasks.stream().anyMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_REJECTED);
  }

  @Override
  public Comparator<NodeInfo> order(Task task, Collection<NodeInfo> nodes) {
    RecentRejections pass = rejections;
    return anyRejected ? (a, b) -> pass.compare(task, a, b) : null;
  }
}
