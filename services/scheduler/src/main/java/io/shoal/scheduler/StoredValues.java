package io.shoal.scheduler;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.RestartPolicy;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateConfig;
import io.shoal.common.placement.Constraint;
import io.shoal.common.spec.SpecBounds;
import io.shoal.common.time.Timestamps;
import java.time.Duration;
import java.time.Instant;

/**
 * Durations, times and counts as the scheduler reads them from etcd, where nothing is trusted:
 * control validates specs and the dispatcher validates reports, but a value stored by an older
 * version, by hand, or reported by a broken node must neither throw in the middle of a pass nor
 * make the scheduler allocate without bound.
 *
 * <ul>
 *   <li>A service's spec is checked once per pass ({@link #check}): a duration or replica count
 *       out of range, or a constraint that does not parse, makes that service unreconcilable,
 *       with a reason naming the field.
 *   <li>A stored time out of range (before 1970, after protobuf's year 9999, or more than
 *       {@link #MAX_CLOCK_SKEW} ahead of the scheduler's clock) is unknown, and reads as unset
 *       (the epoch), as a missing time always has: a restart delay then runs from the task's
 *       creation, an update neither holds a slot nor waits for a monitor period on it.
 *   <li>uint64 counts are read unsigned and saturated to {@code int} ({@link #saturatedInt}).
 * </ul>
 */
public final class StoredValues {
  /**
   * The longest duration: Go's (and so Docker's and Swarm's) int64 nanoseconds, ~292 years.
   * Every duration Swarm accepts means the same here, {@link Duration#toNanos()} can't overflow,
   * and a stored time plus it stays far inside {@link Instant}'s range.
   */
  public static final Duration MAX_DURATION = Duration.ofNanos(Long.MAX_VALUE);
  /** What control allows: the scheduler makes one slot entry per replica. */
  public static final long MAX_REPLICAS = SpecBounds.MAX_REPLICAS;
  /** How far another host's clock (a node's, control's) may run ahead before its times are unknown. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  /** protobuf's Timestamp range ends at 9999-12-31T23:59:59Z. */
  static final long MAX_TIMESTAMP_SECONDS = 253_402_300_799L;

  private StoredValues() {}

  /**
   * Throws {@link UnreconcilableServiceException} when {@code spec} holds a value the scheduler
   * won't act on: replicas above {@link #MAX_REPLICAS}, a duration that is negative or above
   * {@link #MAX_DURATION}, a constraint that does not parse.
   */
  public static void check(ServiceSpec spec) {
    if (spec.hasReplicated() && Long.compareUnsigned(spec.getReplicated().getReplicas(), MAX_REPLICAS) > 0) {
      throw new UnreconcilableServiceException("replicated.replicas",
          Long.toUnsignedString(spec.getReplicated().getReplicas()) + " is above the limit of " + MAX_REPLICAS);
    }
    check("update_config", spec.getUpdateConfig());
    check("rollback_config", spec.getRollbackConfig());
    RestartPolicy restart = spec.getRestartPolicy();
    check("restart_policy.delay", restart.getDelay());
    check("restart_policy.window", restart.getWindow());
    try {
      Constraint.parseAll(spec.getPlacement().getConstraintsList());
    } catch (IllegalArgumentException e) {
      throw new UnreconcilableServiceException("placement.constraints", e.getMessage());
    }
  }

  private static void check(String field, UpdateConfig config) {
    check(field + ".delay", config.getDelay());
    check(field + ".monitor", config.getMonitor());
  }

  private static void check(String field, com.google.protobuf.Duration d) {
    boolean negative = d.getSeconds() < 0 || (d.getSeconds() == 0 && d.getNanos() < 0);
    if (negative) {
      throw new UnreconcilableServiceException(field, format(d) + " is negative");
    }
    if (d.getSeconds() > MAX_DURATION.getSeconds()
        || Duration.ofSeconds(d.getSeconds(), d.getNanos()).compareTo(MAX_DURATION) > 0) {
      throw new UnreconcilableServiceException(field, format(d) + " is above the limit of "
          + MAX_DURATION.getSeconds() + "s (2^63 ns, Docker's longest duration)");
    }
  }

  /** {@code d} clamped to [0, {@link #MAX_DURATION}]; never throws. */
  public static Duration duration(com.google.protobuf.Duration d) {
    if (d.getSeconds() < 0) {
      return Duration.ZERO;
    }
    if (d.getSeconds() > MAX_DURATION.getSeconds()) {
      return MAX_DURATION;
    }
    Duration value = Duration.ofSeconds(d.getSeconds(), d.getNanos());
    return value.isNegative() ? Duration.ZERO : value.compareTo(MAX_DURATION) > 0 ? MAX_DURATION : value;
  }

  /** {@code t}, or the epoch when it is out of range (see the class comment); never throws. */
  public static Instant instant(Timestamp t, Instant now) {
    if (t.getSeconds() < 0 || t.getSeconds() > MAX_TIMESTAMP_SECONDS || t.getNanos() < 0 || t.getNanos() > 999_999_999) {
      return Instant.EPOCH;
    }
    Instant at = Timestamps.toInstant(t);
    return at.isAfter(now.plus(MAX_CLOCK_SKEW)) ? Instant.EPOCH : at;
  }

  /** A uint64 as an {@code int}: values above {@link Integer#MAX_VALUE} (2^63 and up read negative) saturate. */
  public static int saturatedInt(long unsigned) {
    return Long.compareUnsigned(unsigned, Integer.MAX_VALUE) > 0 ? Integer.MAX_VALUE : (int) unsigned;
  }

  private static String format(com.google.protobuf.Duration d) {
    return d.getNanos() == 0 ? d.getSeconds() + "s" : d.getSeconds() + "s " + d.getNanos() + "ns";
  }
}
