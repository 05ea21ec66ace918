package io.shoal.dispatcher;

import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the status an agent reports. States only move forward: a report older than what is
 * stored is dropped. A lost race with the scheduler (which writes desired state on the same key)
 * is retried by re-reading, never by overwriting.
 */
@Singleton
final class TaskStatusWriter {
  private static final Logger log = LoggerFactory.getLogger(TaskStatusWriter.class);
  private static final int ATTEMPTS = 10;

  private final EtcdStore store;

  @Inject
  TaskStatusWriter(EtcdStore store) {
    this.store = store;
  }

  /** Returns false when the report was dropped (unknown task, another node's, or stale). */
  boolean write(String nodeId, String taskId, TaskStatus status) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<Task> current = store.get(Tables.TASKS, taskId);
      if (current.isEmpty()) {
        return false;
      }
      Task task = current.get();
      if (!task.getNodeId().equals(nodeId)) {
        log.warn("node {} reported task {} which is assigned to {}", nodeId, taskId, task.getNodeId());
        return false;
      }
      if (status.getState().getNumber() < task.getStatus().getState().getNumber()
          || status.equals(task.getStatus())) {
        return false;
      }
      Task updated = task.toBuilder().setStatus(status).build();
      try {
        store.txn().update(Tables.TASKS, taskId, updated, task.getVersion()).commit();
        return true;
      } catch (ConflictException e) {
        log.debug("task {} changed while storing its status; reading again", taskId);
      }
    }
    log.warn("gave up storing the status of task {} after {} conflicts", taskId, ATTEMPTS);
    return false;
  }
}
