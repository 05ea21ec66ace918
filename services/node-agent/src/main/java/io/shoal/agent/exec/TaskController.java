package io.shoal.agent.exec;

import java.util.Optional;

/**
 * Controls the container of one task (SwarmKit's {@code agent/exec.Controller}). The step
 * function {@link TaskSteps#next} decides which of these to call; an implementation only
 * performs them. Every method is idempotent, so a step retried after an agent restart or an
 * engine error does no harm.
 */
public interface TaskController {

  /** The task's container as the engine sees it now; empty when it has none. */
  Optional<ContainerObservation> inspect();

  /**
   * Makes the image available (pulling it when the engine lacks it) and creates the container,
   * unless it exists already. Throws with the engine's reason when the image cannot be had or
   * the container cannot be created.
   */
  void prepare();

  /** Starts the created container; a running one is left alone. Throws with the engine's reason. */
  void start();

  /**
   * Stops the container within the task's stop grace period and removes it. Having no
   * container is fine.
   */
  void shutdownAndRemove();
}
