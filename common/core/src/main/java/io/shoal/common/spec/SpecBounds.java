package io.shoal.common.spec;

/**
 * What a service may ask that more than one part relies on (docs/LIMITS.md): control refuses a
 * spec beyond these, and the scheduler skips a stored one beyond them rather than trust it.
 */
public final class SpecBounds {
  /**
   * Replicas of one service: what the scheduler, etcd and every cache are proven to carry
   * (SchedulerSizeLimitsIT, with the largest spec allowed at that count).
   */
  public static final long MAX_REPLICAS = 10_000;

  /** Every task carries a copy of its spec: replicas × encoded spec, at most. */
  public static final long MAX_SPEC_BYTES_IN_TASKS = 64L << 20;

  private SpecBounds() {}
}
