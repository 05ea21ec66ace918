package io.shoal.scheduler.orchestrator;

import static io.shoal.common.time.Timestamps.toTimestamp;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.RestartCondition;
import io.shoal.api.v1.RestartPolicy;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.scheduler.Plan;
import io.shoal.scheduler.StoredValues;
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
    return apply(decide(t), t, plan, "task exited; restarted");
  }

  /**
   * A task that should run on a node that is down or gone (SwarmKit's Supervisor.Restart, called
   * for tasks on an invalid node): the restart policy decides as for a task that failed, since it
   * did not complete (so on-failure replaces it). The delay runs from when the node went down,
   * and not at all on a drained node. A replacement does not wait for the task to stop (its node
   * can't confirm it); the task is told to shut down in the same plan.
   *
   * <p>While the delay runs the task is told to shut down at once, as SwarmKit does; it still
   * holds its slot ({@link ReplicatedOrchestrator#lostOnDownNode}) and the policy decides again on
   * each pass. One difference from SwarmKit: when the policy gives up, the task keeps desired
   * RUNNING, because in Shoal's stateless passes a slot is then held by its desired-RUNNING task:
   * a desired-SHUTDOWN one would be refilled once its node came back and stopped it. The same
   * holds for an ended task (see {@link #onExit}).
   *
   * @param node the task's node, {@code null} if it was removed
   */
  public Exited onNodeDown(Task t, Node node, Service service, Plan plan) {
    if (TaskSpecs.dirty(t.getSpec(), service.getSpec())) {
      ReplicatedOrchestrator.shutDown(t, plan, "node is down; replaced with the new spec");
      return new Exited(true, false, List.of());
    }
    Instant now = clock.instant();
    Instant lostAt = StoredValues.instant(t.getStatus().getTimestamp(), now);
    if (node != null) {
      lostAt = max(lostAt, StoredValues.instant(node.getStatus().getTimestamp(), now));
    }
    boolean drained = node != null && node.getSpec().getAvailability() == NodeAvailability.NODE_AVAILABILITY_DRAIN;
    Exited exited = apply(decide(t, lostAt, drained ? Duration.ZERO : null), t, plan, "node is down; replaced");
    if (exited.waiting()) {
      ReplicatedOrchestrator.shutDown(t, plan, "node is down; replaced after the restart delay");
    }
    return exited;
  }

  private Exited apply(Decision d, Task t, Plan plan, String why) {
    if (d instanceof Restart r) {
      ReplicatedOrchestrator.shutDown(t, plan, why);
      return new Exited(true, false, r.restarts());
    }
    if (d instanceof Wait w) {
      plan.wakeAt(w.at());
      return new Exited(false, true, List.of());
    }
    return new Exited(false, false, List.of());
  }

  /**
   * For a task that ended: the delay runs from its status timestamp, or from its creation when
   * that time is unknown (see {@link StoredValues#instant}).
   */
  public Decision decide(Task ended) {
    return decide(ended, StoredValues.instant(ended.getStatus().getTimestamp(), clock.instant()), null);
  }

  /**
   * @param since when the task stopped serving: it ended, or its node went down
   * @param delay overrides the policy's delay (none on a drained node); {@code null} keeps it
   */
  Decision decide(Task ended, Instant since, Duration delay) {
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
    // uint64: above 2^31-1 (or read negative, from 2^63) it is as good as unlimited.
    int maxAttempts = StoredValues.saturatedInt(policy.getMaxAttempts());
    if (maxAttempts > 0 && counted.size() >= maxAttempts) {
      return new GiveUp("restarted " + counted.size() + " times"
          + (policy.hasWindow() ? " within " + format(policy.getWindow()) : "")
          + " (--restart-max-attempts " + maxAttempts + ")");
    }
    if (delay == null) {
      delay = policy.hasDelay() ? StoredValues.duration(policy.getDelay()) : DEFAULT_DELAY;
    }
    // Both times are at most MAX_CLOCK_SKEW ahead and the delay at most MAX_DURATION: no overflow.
    Instant at = max(since, StoredValues.instant(ended.getCreateTime(), now)).plus(delay);
    if (now.isBefore(at)) {
      return new Wait(at);
    }
    List<Timestamp> carried = new ArrayList<>();
    if (maxAttempts > 0) {
      // Only a limited policy needs the count; keep at most max_attempts entries.
      carried.addAll(counted);
      carried.add(toTimestamp(now));
      if (carried.size() > maxAttempts) {
        carried = new ArrayList<>(carried.subList(carried.size() - maxAttempts, carried.size()));
      }
    }
    return new Restart(carried);
  }

  /** The restarts that count against max_attempts: all, or those inside the window. */
  private static List<Timestamp> counted(List<Timestamp> restarts, RestartPolicy policy, Instant now) {
    Duration window = StoredValues.duration(policy.getWindow());
    if (!policy.hasWindow() || window.isZero()) {
      return restarts;
    }
    Instant since = now.minus(window);
    return restarts.stream().filter(t -> StoredValues.instant(t, now).isAfter(since)).toList();
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static String format(com.google.protobuf.Duration d) {
    return StoredValues.duration(d).toString().substring(2).toLowerCase();
  }
}
