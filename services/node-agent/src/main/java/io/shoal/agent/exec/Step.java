package io.shoal.agent.exec;

import io.shoal.api.v1.TaskStatus;

/** The outcome of one {@link TaskSteps#next} call: a new status to report, or no change. */
public sealed interface Step {
  Step NO_CHANGE = new NoChange();

  /** Nothing to do until something changes (desired state, the container, the set). */
  record NoChange() implements Step {}

  /** The task moved: report {@code status}, then step again. */
  record Transition(TaskStatus status) implements Step {}
}
