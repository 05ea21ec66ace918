package io.shoal.cli.progress;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.cli.CliContext.Pause;
import io.shoal.cli.CliException;
import io.shoal.cli.ErrorMessages;
import io.shoal.cli.client.ChangeSignal;
import io.shoal.cli.client.ControlClient;
import io.shoal.cli.client.ServiceWatch;
import io.shoal.common.time.GoDuration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Waits until a service converges ({@link Convergence}) and stays so for its monitor period, as
 * Docker's CLI does: the service's {@code --update-monitor}, else {@link #DEFAULT_MONITOR}; a
 * task that fails meanwhile is reported ("Detected task failure") and the wait goes on until the
 * service is stable again, or the timeout. It reads GetService and ListTasks (and
 * ListNodes for a global service) each time WatchService tells of a change, at least every poll
 * interval, drawing each read, and gives up after a timeout. So convergence is seen when it is
 * stored, not at the next tick of a poll (which cost 100 ms on average at 200 ms). The service is
 * re-read every time, so a concurrent update moves the goal rather than hanging the wait. Control
 * being briefly unreachable does not end the wait, nor does a watch that ends (a new one is
 * opened at the next read); only the timeout does.
 */
public final class ConvergenceWaiter {
  private final ControlClient control;
  private final Clock clock;
  private final Pause pause;
  private final Duration pollInterval;
  private final String target;
  private final Duration defaultMonitor;

  /** Swarm's default --update-monitor, which Docker's CLI also waits after convergence. */
  public static final Duration DEFAULT_MONITOR = Duration.ofSeconds(5);

  /**
   * @param target the control address, named if polls fail until the timeout
   * @param defaultMonitor how long to watch a converged service that sets no --update-monitor
   */
  public ConvergenceWaiter(ControlClient control, Clock clock, Pause pause, Duration pollInterval, String target,
      Duration defaultMonitor) {
    this.defaultMonitor = defaultMonitor;
    this.control = control;
    this.clock = clock;
    this.pause = pause;
    this.pollInterval = pollInterval;
    this.target = target;
  }

  /**
   * Returns once the service has converged.
   *
   * @param serviceId the service's id (a name could be reused if the service is replaced)
   * @param renderer where to draw progress; {@code null} for none ({@code --quiet})
   * @throws CliException on timeout, or when the service is deleted meanwhile
   */
  public void await(String serviceId, String name, Duration timeout, ProgressRenderer renderer)
      throws InterruptedException {
    await(serviceId, name, timeout, renderer, false);
  }

  /**
   * As above, for the wait after an update ({@code update}): an automatic rollback of it ends
   * the wait with Docker's {@code service rolled back: MESSAGE}, so the command exits non-zero.
   * A paused update or rollback ends any wait ({@code service update paused: MESSAGE}), as in
   * Docker. Control clears the status at each update, so any status seen is this one's.
   */
  public void await(String serviceId, String name, Duration timeout, ProgressRenderer renderer, boolean update)
      throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    Convergence.Snapshot last = null;
    StatusRuntimeException lastFailure = null;
    ChangeSignal changes = new ChangeSignal();
    ServiceWatch watch = null;
    Instant convergedAt = null;
    Duration wait = pollInterval;
    try {
      while (true) {
        if (watch == null || watch.ended()) {
          watch = control.watchService(serviceId, changes);
        }
        long seen = changes.seen();
        try {
          Service service = control.getService(serviceId);
          last = read(service);
          stopped(service, update, last.done());
          lastFailure = null;
          if (renderer != null) {
            renderer.draw(last);
          }
          wait = pollInterval;
          if (last.done()) {
            Instant now = clock.instant();
            convergedAt = convergedAt == null ? now : convergedAt;
            Duration left = monitor(service).minus(Duration.between(convergedAt, now));
            if (left.isNegative() || left.isZero()) {
              if (renderer != null) {
                renderer.finish("verify: Service converged");
              }
              return;
            }
            if (renderer != null) {
              long seconds = (left.toMillis() + 999) / 1000;
              renderer.verify("Waiting " + seconds + " seconds to verify that tasks are stable...");
            }
            wait = left.compareTo(pollInterval) < 0 ? left : pollInterval;
          } else if (convergedAt != null) {
            convergedAt = null;
            if (renderer != null) {
              renderer.verify("Detected task failure");
            }
          }
        } catch (StatusRuntimeException e) {
          lastFailure = unreachable(e, name);
        }
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
          throw timedOut(name, timeout, last, lastFailure);
        }
        pause.pause(left.compareTo(wait) < 0 ? left : wait, changes, seen);
      }
    } finally {
      if (watch != null) {
        watch.close();
      }
    }
  }

  /**
   * Docker's ends of a wait on the update status: paused, or, when waiting on an update, rolled
   * back: completed, or started and converged already (the rolled-back tasks may never have
   * stopped), since convergence then is the old spec's, not the update's.
   */
  private static void stopped(Service service, boolean update, boolean converged) {
    String message = service.getUpdateStatus().getMessage();
    switch (service.getUpdateStatus().getState()) {
      case UPDATE_STATE_PAUSED -> throw new CliException("service update paused: " + message);
      case UPDATE_STATE_ROLLBACK_PAUSED -> throw new CliException("service rollback paused: " + message);
      case UPDATE_STATE_ROLLBACK_COMPLETED -> {
        if (update) {
          throw new CliException("service rolled back: " + message);
        }
      }
      case UPDATE_STATE_ROLLBACK_STARTED -> {
        if (update && converged) {
          throw new CliException("service rolled back: " + message);
        }
      }
      default -> { }
    }
  }

  private Duration monitor(Service service) {
    com.google.protobuf.Duration set = service.getSpec().getUpdateConfig().getMonitor();
    return set.getSeconds() > 0 || set.getNanos() > 0
        ? Duration.ofSeconds(set.getSeconds(), set.getNanos()) : defaultMonitor;
  }

  private Convergence.Snapshot read(Service service) {
    String serviceId = service.getId();
    List<Task> tasks = control.listTasks(serviceId);
    List<Node> nodes = service.getSpec().hasGlobal() ? control.listNodes() : List.of();
    return Convergence.evaluate(service, tasks, nodes);
  }

  /** {@code e} if control was only out of reach (the wait goes on); otherwise it ends the wait. */
  private static StatusRuntimeException unreachable(StatusRuntimeException e, String name) {
    Status.Code code = e.getStatus().getCode();
    if (code == Status.Code.NOT_FOUND) {
      throw new CliException("service " + name + " was removed while waiting for it", e);
    }
    if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
      throw e;
    }
    return e;
  }

  private CliException timedOut(
      String name,
      Duration timeout,
      Convergence.Snapshot last,
      StatusRuntimeException lastFailure) {
    StringBuilder msg =
        new StringBuilder("service ")
            .append(name)
            .append(" did not converge within ")
            .append(GoDuration.format(timeout));
    if (last != null) {
      msg.append(" (")
          .append(last.converged())
          .append(" out of ")
          .append(last.target())
          .append(" tasks running the current spec)");
    }
    if (lastFailure != null) {
      msg.append("; last poll: ").append(ErrorMessages.describe(lastFailure, target));
    }
    msg.append("; see 'shoal service ps ").append(name).append("'");
    return new CliException(msg.toString());
  }
}
