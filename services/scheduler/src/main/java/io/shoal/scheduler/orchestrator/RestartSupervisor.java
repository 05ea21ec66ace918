package io.shoal.scheduler.orchestrator;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.RestartCondition;
import io.shoal.api.v1.RestartPolicy;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.scheduler.Plan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether and when a task that ended while it should run is replaced (SwarmKit's
 * orchestrator/restart, Swarm's --restart-* flags). Pure: the delay runs from the ended task's
 * status timestamp, and the attempts are counted from the times the task carries in
 * {@code Task.restarts}, so no state lives in the scheduler between passes.
 *
 * <p>Swarm's defaults: condition any, delay 5s, unlimited attempts, window forever.
 */
public final class RestartSupervisor {
  static final Duration DEFAULT_DELAY = Duration.ofSeconds(5);

  /** What to do with a task that ended. */
  public sealed interface Decision {}

  /** Replace it now; the replacement carries {@code restarts}. */
  public record Restart(List<Timestamp> restarts) implements Decision {}

  /** Replace it at {@code at}; until then the slot keeps the ended task. */
  public record Wait(Instant at) implements Decision {}

  /** The policy says no more: the slot keeps the ended task until the spec changes. */
  public record GiveUp(String why) implements Decision {}

  private final Clock clock;

  public RestartSupervisor(Clock clock) {
    this.clock = clock;
  }

  /**
   * An ended task that should run: replaced now (an outdated one always is, and its restart
   * history then starts afresh), later (restart delay; the plan asks to be woken), or never.
   * A task replaced now is told to shut down, so it becomes history.
   */
  public record Exited(boolean replaceNow, boolean waiting, List<Timestamp> restarts) {}

  public Exited onExit(Task t, Service service, Plan plan) {
    if (TaskSpecs.dirty(t.getSpec(), service.getSpec())) {
      ReplicatedOrchestrator.shutDown(t, plan, "task exited; replaced with the new spec");
      return new Exited(true, false, List.of());
    }
    Decision d = decide(t);
    if (d instanceof Restart r) {
      ReplicatedOrchestrator.shutDown(t, plan, "task exited; restarted");
      return new Exited(true, false, r.restarts());
    }
    if (d instanceof Wait w) {
      plan.wakeAt(w.at());
      return new Exited(false, true, List.of());
    }
    return new Exited(false, false, List.of());
  }

  public Decision decide(Task ended) {
    RestartPolicy policy = ended.getSpec().getRestartPolicy();
    RestartCondition condition = policy.getCondition();
    if (condition == RestartCondition.RESTART_CONDITION_NONE) {
      return new GiveUp("restart condition is none");
    }
    if (condition == RestartCondition.RESTART_CONDITION_ON_FAILURE
        && ended.getStatus().getState() == TaskState.TASK_STATE_COMPLETE) {
      return new GiveUp("task completed and the restart condition is on-failure");
    }
    Instant now = clock.instant();
    List<Timestamp> counted = counted(ended.getRestartsList(), policy, now);
    if (policy.getMaxAttempts() > 0 && counted.size() >= policy.getMaxAttempts()) {
      return new GiveUp("restarted " + counted.size() + " times"
          + (policy.hasWindow() ? " within " + format(policy.getWindow()) : "")
          + " (--restart-max-attempts " + policy.getMaxAttempts() + ")");
    }
    Duration delay = policy.hasDelay() ? toDuration(policy.getDelay()) : DEFAULT_DELAY;
    Instant endedAt = max(toInstant(ended.getStatus().getTimestamp()), toInstant(ended.getCreateTime()));
    Instant at = endedAt.plus(delay);
    if (now.isBefore(at)) {
      return new Wait(at);
    }
    List<Timestamp> carried = new ArrayList<>();
    if (policy.getMaxAttempts() > 0) {
      // Only a limited policy needs the count; keep at most max_attempts entries.
      carried.addAll(counted);
      carried.add(toTimestamp(now));
      if (carried.size() > policy.getMaxAttempts()) {
        carried = new ArrayList<>(carried.subList(carried.size() - (int) policy.getMaxAttempts(), carried.size()));
      }
    }
    return new Restart(carried);
  }

  /** The restarts that count against max_attempts: all, or those inside the window. */
  private static List<Timestamp> counted(List<Timestamp> restarts, RestartPolicy policy, Instant now) {
    if (!policy.hasWindow() || toDuration(policy.getWindow()).isZero()) {
      return restarts;
    }
    Instant since = now.minus(toDuration(policy.getWindow()));
    return restarts.stream().filter(t -> toInstant(t).isAfter(since)).toList();
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  static Instant toInstant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static Timestamp toTimestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  static Duration toDuration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  private static String format(com.google.protobuf.Duration d) {
    return toDuration(d).toString().substring(2).toLowerCase();
  }
}
