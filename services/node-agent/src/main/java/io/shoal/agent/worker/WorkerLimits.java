package io.shoal.agent.worker;

/**
 * Bounds of the agent's {@link WorkerPool}.
 *
 * @param threads task workers: engine calls (pulls, stops) blocking at once
 * @param queue passes waiting for a worker; each task has at most one waiting
 */
public record WorkerLimits(int threads, int queue) {
  /**
   * 32 workers: far more engine work than dockerd runs usefully at once (it pulls 3 layers at a
   * time), yet enough that slow stops and pulls of some tasks leave workers for the others. A
   * queue of 1,024: one pass for each task of a node running a thousand, so a resync that kicks
   * them all fits; beyond it passes are deferred, never lost.
   */
  public static final WorkerLimits DEFAULT = new WorkerLimits(32, 1024);

  public WorkerLimits {
    if (threads < 1 || queue < 1) {
      throw new IllegalArgumentException("task workers and queue must be at least 1");
    }
  }
}
