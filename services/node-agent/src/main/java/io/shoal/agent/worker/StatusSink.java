package io.shoal.agent.worker;

import io.shoal.api.v1.TaskStatus;

/** Where task status changes go: the dispatcher session sends them. */
public interface StatusSink {
  /**
   * Queues {@code status} of {@code taskId} for the dispatcher. Never blocks; a later status of
   * the same task replaces one not sent yet.
   */
  void report(String taskId, TaskStatus status);
}
