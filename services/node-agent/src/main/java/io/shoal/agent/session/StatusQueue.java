package io.shoal.agent.session;

import io.shoal.agent.worker.StatusSink;
import io.shoal.api.v1.TaskStatus;
import io.shoal.api.v1.TaskStatusUpdate;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ListIterator;
import java.util.Set;

/**
 * Status reports waiting for the session. While a session is up every report is kept, so the
 * dispatcher sees each state change; while it is down only the latest report per task is kept
 * (what the dispatcher needs to catch up), and sent after the next registration. Reports also
 * pile up while the session is up but the dispatcher reads slowly (it pushes back when its
 * queue is full): past {@link #COMPACT_AT} they are compacted the same way, so the queue holds
 * about one report per task however long the dispatcher takes.
 *
 * <p>Text the dispatcher would refuse as too long is cut here ({@link ReportLimits}), so a long
 * error from dockerd still reaches the dispatcher as a FAILED report.
 */
@Singleton
public final class StatusQueue implements StatusSink {
  /** Reports kept in full before the queue is compacted to the latest per task. */
  static final int COMPACT_AT = 1024;

  private final List<TaskStatusUpdate> pending = new ArrayList<>();
  /** Compact again when the queue is twice what the last compaction left (or COMPACT_AT). */
  private int compactAt = COMPACT_AT;
  private boolean live;
  private Runnable onReport = () -> {};

  @Inject
  public StatusQueue() {}

  /** Called (on the reporter's thread) after every report; the session uses it to flush. */
  public synchronized void onReport(Runnable listener) {
    this.onReport = listener;
  }

  /** Whether a session is up; going down compacts the queue to the latest report per task. */
  public synchronized void live(boolean up) {
    live = up;
    if (!up) {
      compact();
    }
  }

  @Override
  public void report(String taskId, TaskStatus status) {
    Runnable listener;
    synchronized (this) {
      pending.add(TaskStatusUpdate.newBuilder().setTaskId(taskId).setStatus(ReportLimits.fit(status)).build());
      if (!live) {
        compact();
      } else if (pending.size() >= compactAt) {
        compact();
        compactAt = Math.max(COMPACT_AT, 2 * pending.size());
      }
      listener = onReport;
    }
    listener.run();
  }

  /** Takes everything pending, in report order. */
  public synchronized List<TaskStatusUpdate> drain() {
    List<TaskStatusUpdate> updates = List.copyOf(pending);
    pending.clear();
    return updates;
  }

  /** Takes the oldest pending report, or null. */
  public synchronized TaskStatusUpdate poll() {
    return pending.isEmpty() ? null : pending.remove(0);
  }

  public synchronized int size() {
    return pending.size();
  }

  /** Keeps the last report of each task, in the order of those last reports. */
  private void compact() {
    Set<String> seen = new HashSet<>();
    for (ListIterator<TaskStatusUpdate> it = pending.listIterator(pending.size()); it.hasPrevious(); ) {
      if (!seen.add(it.previous().getTaskId())) {
        it.remove();
      }
    }
  }
}
