package io.shoal.scheduler.orchestrator;

import static io.shoal.common.time.Timestamps.toTimestamp;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.UpdateConfig;
import io.shoal.api.v1.UpdateFailureAction;
import io.shoal.api.v1.UpdateOrder;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import io.shoal.scheduler.Plan;
import io.shoal.scheduler.StoredValues;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a rolling update (or rollback) goes through a service's slots (SwarmKit's
 * orchestrator/update, Swarm's --update-* and --rollback-* flags), and the service's
 * UpdateStatus that tells the user where it stands. Pure: everything is derived from the
 * service, its tasks and a clock.
 *
 * <p>Ownership: control owns the service and stores with each spec the status it starts with
 * (none after an update, ROLLBACK_STARTED after a rollback); a rollback swaps spec and
 * previous_spec, so the tasks' target is always the spec. The scheduler writes the status in its
 * own key, {@code service_status/<id>}, about the service's version it read; a status about an
 * older version reads as none (ServiceViews), which is how a new spec restarts the update. For
 * an automatic rollback the scheduler asks: ROLLBACK_STARTED with {@code spec_swap_pending};
 * control's RollbackSwapWatcher swaps the specs in one transaction that also stores the status
 * without the flag, and until then the update stays where it is.
 *
 * <ul>
 *   <li>Parallelism: at most N slots update at once (0: all); a slot updates until its new task
 *       runs, then holds its place for --update-delay.
 *   <li>Failures: a task of the target spec, created since the update started, that FAILED or
 *       was REJECTED before it ran or within --update-monitor of reaching RUNNING. When failures
 *       exceed --update-max-failure-ratio of the slots, the failure action applies: pause,
 *       continue, or roll back (a rollback that fails pauses or continues).
 *   <li>Completed: nothing outdated or in flight, and the new tasks have run for the monitor
 *       period.
 * </ul>
 */
public final class UpdateSupervisor {
  static final Duration DEFAULT_MONITOR = Duration.ofSeconds(5);
  private static final Set<UpdateState> ROLLBACK = Set.of(UpdateState.UPDATE_STATE_ROLLBACK_STARTED,
      UpdateState.UPDATE_STATE_ROLLBACK_PAUSED, UpdateState.UPDATE_STATE_ROLLBACK_COMPLETED);

  private final Clock clock;

  public UpdateSupervisor(Clock clock) {
    this.clock = clock;
  }

  /** A rollback rolls: to the spec, which control swapped in, with the spec's rollback config. */
  public static boolean rollingBack(Service service) {
    return ROLLBACK.contains(service.getUpdateStatus().getState()) && !swapPending(service);
  }

  /** The scheduler decided to roll back; control has yet to swap the specs. */
  public static boolean swapPending(Service service) {
    return service.getUpdateStatus().getSpecSwapPending();
  }

  /**
   * The config that governs the current rollout (--update-* or --rollback-*). After a swap the
   * rollback config is the swapped-in spec's, the one being rolled back to (as in SwarmKit);
   * while the swap is pending the failed update's config still holds the tasks in flight.
   */
  public static UpdateConfig config(Service service) {
    return rollingBack(service) ? service.getSpec().getRollbackConfig() : service.getSpec().getUpdateConfig();
  }

  public static boolean startFirst(Service service) {
    return config(service).getOrder() == UpdateOrder.UPDATE_ORDER_START_FIRST;
  }

  /**
   * How many outdated slots may start updating now; writes the service's update status when it
   * changes.
   *
   * @param tasks the service's tasks as the plan leaves them so far
   * @param slots slots (replicas) or eligible nodes
   * @param outdated live tasks that run an outdated spec
   * @param inFlight slots whose task is not running yet (updating, restarting, new)
   */
  public int allowed(Service service, List<Task> tasks, int slots, int outdated, int inFlight, Plan plan) {
    if (swapPending(service)) {
      return 0; // control swaps the specs next; nothing rolls before it did
    }
    UpdateStatus status = service.getUpdateStatus();
    boolean back = rollingBack(service);
    UpdateState state = status.getState();
    boolean active = state == UpdateState.UPDATE_STATE_UPDATING || state == UpdateState.UPDATE_STATE_ROLLBACK_STARTED;
    boolean paused = state == UpdateState.UPDATE_STATE_PAUSED || state == UpdateState.UPDATE_STATE_ROLLBACK_PAUSED;
    if (paused) {
      return 0;
    }
    Instant now = clock.instant();
    if (!active) {
      if (outdated == 0) {
        return Integer.MAX_VALUE; // nothing to roll: scaling or restarts only
      }
      // A new spec arrived (the status about the old one reads as none): the update starts now.
      status = UpdateStatus.newBuilder()
          .setState(back ? UpdateState.UPDATE_STATE_ROLLBACK_STARTED : UpdateState.UPDATE_STATE_UPDATING)
          .setStartTime(service.hasUpdateTime() ? service.getUpdateTime() : toTimestamp(now))
          .setMessage(back ? "rollback in progress" : "update in progress").build();
      write(service, status, plan);
      service = service.toBuilder().setUpdateStatus(status).build();
    }
    UpdateConfig config = config(service);
    ServiceSpec target = service.getSpec();
    // Stored times out of range read as unset, durations are at most MAX_DURATION (StoredValues):
    // the sums below stay inside Instant's range.
    Instant start = StoredValues.instant(status.getStartTime(), now);
    Duration monitor = config.hasMonitor() ? StoredValues.duration(config.getMonitor()) : DEFAULT_MONITOR;
    Duration delay = StoredValues.duration(config.getDelay());
    // NaN would never compare greater; a negative ratio means none, as 0 does.
    double maxFailureRatio = Float.isNaN(config.getMaxFailureRatio()) ? 0 : Math.max(0, config.getMaxFailureRatio());

    List<Task> ours = tasks.stream()
        .filter(t -> !TaskSpecs.dirty(t.getSpec(), target) && !StoredValues.instant(t.getCreateTime(), now).isBefore(start))
        .toList();
    List<Task> failed = ours.stream().filter(t -> failedWithin(t, monitor, now)).toList();
    if (!failed.isEmpty() && failed.size() > maxFailureRatio * Math.max(1, slots)) {
      String task = failed.stream().max(Comparator.comparing(t -> StoredValues.instant(t.getStatus().getTimestamp(), now)))
          .map(Task::getId).orElseThrow();
      UpdateFailureAction action = config.getFailureAction();
      if (action == UpdateFailureAction.UPDATE_FAILURE_ACTION_ROLLBACK && !back && service.hasPreviousSpec()) {
        // Control swaps spec and previous_spec (only it writes a spec); the rollback rolls after.
        write(service, UpdateStatus.newBuilder().setState(UpdateState.UPDATE_STATE_ROLLBACK_STARTED)
            .setStartTime(toTimestamp(now)).setSpecSwapPending(true)
            .setMessage("update rolled back due to failure or early termination of task " + task).build(), plan);
        return 0;
      }
      if (action != UpdateFailureAction.UPDATE_FAILURE_ACTION_CONTINUE) {
        write(service, status.toBuilder()
            .setState(back ? UpdateState.UPDATE_STATE_ROLLBACK_PAUSED : UpdateState.UPDATE_STATE_PAUSED)
            .setMessage((back ? "rollback" : "update") + " paused due to failure or early termination of task " + task)
            .build(), plan);
        return 0;
      }
    }

    // A slot whose new task runs holds its place for the update delay (SwarmKit's worker sleeps).
    int held = 0;
    Optional<Instant> monitorEnds = Optional.empty();
    for (Task t : ours) {
      if (t.getDesiredState() != TaskState.TASK_STATE_RUNNING || t.getStatus().getState() != TaskState.TASK_STATE_RUNNING) {
        continue;
      }
      Instant running = StoredValues.instant(t.getStatus().getTimestamp(), now);
      if (running.plus(delay).isAfter(now)) {
        held++;
        plan.wakeAt(running.plus(delay));
      }
      Instant monitored = running.plus(monitor);
      if (monitored.isAfter(now) && (monitorEnds.isEmpty() || monitored.isAfter(monitorEnds.get()))) {
        monitorEnds = Optional.of(monitored);
      }
    }
    if (outdated == 0 && inFlight == 0) {
      if (monitorEnds.isPresent()) {
        plan.wakeAt(monitorEnds.get());
      } else {
        write(service, status.toBuilder()
            .setState(back ? UpdateState.UPDATE_STATE_ROLLBACK_COMPLETED : UpdateState.UPDATE_STATE_COMPLETED)
            .setCompletionTime(toTimestamp(now))
            .setMessage(back ? "rollback completed" : "update completed").build(), plan);
      }
      return 0;
    }
    // No config at all means Swarm's default of 1; in a config the user set, 0 means all at once.
    boolean configured = back ? service.getSpec().hasRollbackConfig() : service.getSpec().hasUpdateConfig();
    // uint64: 2^32 must not cast to 0 (no progress ever), nor 2^63 read negative.
    int parallelism = configured ? StoredValues.saturatedInt(config.getParallelism()) : 1;
    if (parallelism == 0) {
      return Integer.MAX_VALUE;
    }
    return Math.max(0, parallelism - inFlight - held);
  }

  /**
   * A new task's failure counts before it ever ran (rejected, failed to start) and within the
   * monitor period after it reached RUNNING, as SwarmKit's updater times it; not from its
   * creation, which a slow image pull would eat into. The agent keeps the RUNNING time in the
   * ended task's status ({@code start_time}).
   */
  static boolean failedWithin(Task t, Duration monitor, Instant now) {
    TaskState s = t.getStatus().getState();
    if (s != TaskState.TASK_STATE_FAILED && s != TaskState.TASK_STATE_REJECTED) {
      return false;
    }
    if (!t.getStatus().hasStartTime()) {
      return true;
    }
    return !StoredValues.instant(t.getStatus().getTimestamp(), now)
        .isAfter(StoredValues.instant(t.getStatus().getStartTime(), now).plus(monitor));
  }

  private static void write(Service service, UpdateStatus status, Plan plan) {
    if (!status.equals(service.getUpdateStatus())) {
      plan.updateService(service.toBuilder().setUpdateStatus(status).build());
    }
  }
}
