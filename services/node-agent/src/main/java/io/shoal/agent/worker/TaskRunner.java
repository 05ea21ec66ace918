package io.shoal.agent.worker;

import io.shoal.agent.exec.Step;
import io.shoal.agent.exec.TaskController;
import io.shoal.agent.exec.TaskSteps;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one task (SwarmKit's {@code agent/task.go}): whenever something may have changed (a new
 * assignment, a container event, a retry) it is kicked, and then steps the task with
 * {@link TaskSteps#next} until no change, reporting each transition. Runs on the shared worker
 * pool, at most one pass at a time, so a slow pull or stop only holds up its own task.
 */
final class TaskRunner {
  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);
  /** More than the longest path through the state machine; a guard against a step bug. */
  private static final int MAX_STEPS_PER_PASS = 16;

  private final String taskId;
  private final TaskController controller;
  private final Executor executor;
  private final StatusSink sink;
  private final Clock clock;
  private final Callbacks callbacks;

  /** Latest version from the assignments; the step reads it, apply() replaces it. */
  private volatile Task task;
  /** Set when the task left the node's set: remove its container, then forget the runner. */
  private volatile boolean dropped;
  /** Last status reported; written only by the (single) pass, read by the manager. */
  private volatile TaskStatus status;

  /** Set once a dropped task's container is gone; cleared if the task comes back. */
  private volatile boolean removed;

  @GuardedBy("this")
  private boolean dirty;
  @GuardedBy("this")
  private boolean running;

  /** What the runner needs from its manager. */
  interface Callbacks {
    /** The task was dropped and its container is gone. */
    void removed(TaskRunner runner);

    /** A pass failed (engine unreachable): kick again later. */
    void retryLater(TaskRunner runner);

    /** Every worker was busy and the queue full (or the agent is closing): kick again later. */
    void rejected(TaskRunner runner);

    /** A pass succeeded. */
    void succeeded(TaskRunner runner);

    /** A transition was reported. */
    void transitioned(TaskState to);
  }

  TaskRunner(Task task, TaskController controller, Executor executor, StatusSink sink, Clock clock,
      Callbacks callbacks) {
    this.taskId = task.getId();
    this.task = task;
    this.status = task.getStatus();
    this.controller = controller;
    this.executor = executor;
    this.sink = sink;
    this.clock = clock;
    this.callbacks = callbacks;
  }

  String taskId() {
    return taskId;
  }

  Task task() {
    return task;
  }

  TaskStatus status() {
    return status;
  }

  boolean dropped() {
    return dropped;
  }

  /** A new version of the task from the assignments. */
  void update(Task latest) {
    task = latest;
    dropped = false;
    removed = false;
    kick();
  }

  /** The task is no longer in the node's set. */
  void drop() {
    dropped = true;
    kick();
  }

  /** Something may have changed: run a pass soon (one at a time; kicks during a pass coalesce). */
  void kick() {
    synchronized (this) {
      dirty = true;
      if (running) {
        return;
      }
      running = true;
    }
    try {
      executor.execute(this::passes);
    } catch (RejectedExecutionException e) {
      // Still dirty: the retry the manager schedules runs the pass.
      synchronized (this) {
        running = false;
      }
      callbacks.rejected(this);
    }
  }

  private void passes() {
    for (;;) {
      synchronized (this) {
        if (!dirty) {
          running = false;
          return;
        }
        dirty = false;
      }
      try {
        if (dropped) {
          if (!removed) {
            controller.shutdownAndRemove();
            removed = true;
            log.info("task {}: not assigned to this node any more, container removed", taskId);
            callbacks.removed(this);
          }
        } else {
          converge();
        }
        callbacks.succeeded(this);
      } catch (RuntimeException e) {
        log.warn("task {}: {} (will retry)", taskId, e.getMessage() == null ? e.toString() : e.getMessage());
        callbacks.retryLater(this);
      }
    }
  }

  private void converge() {
    for (int i = 0; i < MAX_STEPS_PER_PASS; i++) {
      if (dropped) {
        // Left the set during a slow step (a pull): the next pass removes the container.
        return;
      }
      Step step = TaskSteps.next(task, status, controller, clock);
      if (!(step instanceof Step.Transition transition)) {
        return;
      }
      TaskStatus previous = status;
      status = transition.status();
      sink.report(taskId, status);
      callbacks.transitioned(status.getState());
      logTransition(previous, status);
      if (status.getState() == TaskState.TASK_STATE_RUNNING) {
        // Just seen running: its container's die event (or a resync) brings the next pass; a
        // step now would only ask the engine again what it has just said.
        return;
      }
    }
    log.error("task {}: no rest after {} steps at {}; stepping again later", taskId, MAX_STEPS_PER_PASS,
        status.getState());
  }

  private void logTransition(TaskStatus from, TaskStatus to) {
    StringBuilder line = new StringBuilder()
        .append(name(from.getState())).append(" → ").append(name(to.getState()))
        .append(": ").append(to.getMessage());
    if (!to.getErr().isEmpty()) {
      line.append(" (").append(to.getErr()).append(')');
    }
    if (to.getState() == TaskState.TASK_STATE_RUNNING) {
      line.append(" container ").append(shortId(to.getContainerId()));
      to.getPortsList().forEach(p -> line.append(' ').append(p.getHostIp()).append(':')
          .append(p.getHostPort()).append("->").append(p.getTargetPort()));
    }
    log.info("task {} {}", taskId, line);
  }

  static String name(TaskState state) {
    return state.name().replace("TASK_STATE_", "");
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
