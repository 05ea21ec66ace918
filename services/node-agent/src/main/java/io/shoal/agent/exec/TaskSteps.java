package io.shoal.agent.exec;

import io.shoal.api.v1.PortBinding;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.task.TaskStates;
import io.shoal.common.time.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The task state machine (SwarmKit's {@code agent/exec.Do}): {@link #next} moves a task one step
 * towards its desired state, calling the controller for the work that step needs, and returns
 * the new status, or {@link Step#NO_CHANGE}. The caller reports each transition and calls again
 * until no change, then waits for something to change.
 *
 * <pre>
 *  desired RUNNING:  (≤ASSIGNED) → ACCEPTED → PREPARING ─prepare()→ STARTING ─start()→ RUNNING
 *                    prepare() fails → REJECTED;  start() fails → FAILED
 *                    with a healthcheck: STARTING until the container is healthy (unhealthy → FAILED)
 *                    RUNNING, container exited → COMPLETE (0) | FAILED (non-zero exit)
 *                    RUNNING, container unhealthy → FAILED (the restart policy replaces it)
 *                    a container found before ACCEPTED (agent restart) is adopted as it is
 *  desired SHUTDOWN/REMOVE:  any live state ─shutdownAndRemove()→ SHUTDOWN;
 *                    a finished task only has its container removed
 * </pre>
 *
 * <p>States only move forward; terminal states never change.
 */
public final class TaskSteps {
  private TaskSteps() {}

  /**
   * One step of {@code task}, whose last reported status is {@code current}.
   *
   * @throws RuntimeException when the engine cannot even be asked (inspect fails): the caller
   *     retries later, the task is unchanged
   */
  public static Step next(Task task, TaskStatus current, TaskController controller, Clock clock) {
    TaskState state = current.getState();
    TaskState desired = task.getDesiredState();
    boolean stop = TaskStates.terminal(desired);

    if (TaskStates.terminal(state)) {
      if (stop && controller.inspect().isPresent()) {
        controller.shutdownAndRemove();
      }
      return Step.NO_CHANGE;
    }
    if (stop) {
      if (controller.inspect().isPresent()) {
        controller.shutdownAndRemove();
      }
      return transition(current, TaskState.TASK_STATE_SHUTDOWN, "shutdown", clock).build();
    }
    if (desired != TaskState.TASK_STATE_RUNNING) {
      return Step.NO_CHANGE;
    }

    switch (state) {
      case TASK_STATE_ACCEPTED:
        return transition(current, TaskState.TASK_STATE_PREPARING, "preparing", clock).build();
      case TASK_STATE_PREPARING:
        try {
          controller.prepare();
        } catch (RuntimeException e) {
          return transition(current, TaskState.TASK_STATE_REJECTED, "preparing", clock)
              .err(errorText(e)).build();
        }
        return transition(current, TaskState.TASK_STATE_STARTING, "starting", clock).build();
      case TASK_STATE_STARTING:
        return start(task, current, controller, clock);
      case TASK_STATE_RUNNING:
        return checkRunning(current, controller, clock);
      default:
        // NEW, PENDING, ASSIGNED (or unset): first sight of the task on this node.
        Optional<ContainerObservation> found = controller.inspect();
        if (found.isPresent() && found.get().state() != ContainerObservation.State.CREATED) {
          return adopt(task, current, found.get(), clock);
        }
        return transition(current, TaskState.TASK_STATE_ACCEPTED, "accepted", clock).build();
    }
  }

  /** Swarm's error text for an exit code: {@code task: non-zero exit (N)}. */
  public static String nonZeroExit(int exitCode) {
    return "task: non-zero exit (" + exitCode + ")";
  }

  private static Step start(Task task, TaskStatus current, TaskController controller, Clock clock) {
    Optional<ContainerObservation> before = controller.inspect();
    if (before.isEmpty()) {
      // Created in PREPARING and gone since (removed by hand, or lost by the engine).
      return transition(current, TaskState.TASK_STATE_FAILED, "starting", clock)
          .err("task: container disappeared before it started").build();
    }
    if (before.get().state() == ContainerObservation.State.CREATED) {
      try {
        controller.start();
      } catch (RuntimeException e) {
        return transition(current, TaskState.TASK_STATE_FAILED, "starting", clock)
            .err(errorText(e)).containerId(before.get().id()).build();
      }
    }
    Optional<ContainerObservation> after = controller.inspect();
    if (after.isEmpty()) {
      return transition(current, TaskState.TASK_STATE_FAILED, "starting", clock)
          .err("task: container disappeared while starting").containerId(before.get().id()).build();
    }
    ContainerObservation started = after.get();
    if (started.state() == ContainerObservation.State.RUNNING) {
      // Swarm's readiness: a task with a healthcheck is RUNNING only once the check passes; the
      // engine's health_status event steps it again.
      switch (started.health()) {
        case STARTING:
          return Step.NO_CHANGE;
        case UNHEALTHY:
          return unhealthy(current, started, clock);
        default:
          break;
      }
    }
    // A container that exits at once is still reported RUNNING first, then COMPLETE/FAILED on
    // the next step, as Swarm does.
    return runningStatus(task, started, current, clock);
  }

  /** Swarm's error for a container whose healthcheck failed, with the last check's output. */
  public static String unhealthyError(String output) {
    return "task: unhealthy container" + (output.isEmpty() ? "" : ": " + output);
  }

  private static Step unhealthy(TaskStatus current, ContainerObservation container, Clock clock) {
    return transition(current, TaskState.TASK_STATE_FAILED, "unhealthy", clock)
        .containerId(container.id()).err(unhealthyError(container.healthOutput())).build();
  }

  private static Step checkRunning(TaskStatus current, TaskController controller, Clock clock) {
    Optional<ContainerObservation> found = controller.inspect();
    if (found.isEmpty()) {
      return transition(current, TaskState.TASK_STATE_FAILED, "failed", clock)
          .err("task: container removed while running").build();
    }
    if (found.get().state() != ContainerObservation.State.EXITED) {
      return found.get().health() == ContainerObservation.Health.UNHEALTHY
          ? unhealthy(current, found.get(), clock)
          : Step.NO_CHANGE;
    }
    return exited(current, found.get(), clock);
  }

  private static Step adopt(Task task, TaskStatus current, ContainerObservation container, Clock clock) {
    if (container.state() != ContainerObservation.State.RUNNING) {
      return exited(current, container, clock);
    }
    return switch (container.health()) {
      // Not healthy yet: STARTING, and the next step waits for the verdict as after a start.
      case STARTING -> transition(current, TaskState.TASK_STATE_STARTING, "starting", clock)
          .containerId(container.id()).build();
      case UNHEALTHY -> unhealthy(current, container, clock);
      // The task has run since the engine started its container, not since this agent saw it.
      default -> runningStatus(task, container, current, clock, container.startedAt());
    };
  }

  private static Step runningStatus(Task task, ContainerObservation container, TaskStatus current, Clock clock) {
    return runningStatus(task, container, current, clock, Optional.empty());
  }

  private static Step runningStatus(Task task, ContainerObservation container, TaskStatus current, Clock clock,
      Optional<Instant> startedAt) {
    return transition(current, TaskState.TASK_STATE_RUNNING, "started", clock)
        .started(startedAt)
        .containerId(container.id())
        .ports(portBindings(task, container))
        .build();
  }

  private static Step exited(TaskStatus current, ContainerObservation container, Clock clock) {
    if (container.exitCode() == 0) {
      return transition(current, TaskState.TASK_STATE_COMPLETE, "finished", clock)
          .containerId(container.id()).build();
    }
    String err = nonZeroExit(container.exitCode());
    if (!container.error().isEmpty()) {
      err = err + ": " + container.error();
    }
    return transition(current, TaskState.TASK_STATE_FAILED, "failed", clock)
        .containerId(container.id()).exitCode(container.exitCode()).err(err).build();
  }

  /**
   * One binding per published port of the spec, in the spec's order, matched with the engine's
   * bindings by protocol and target port. The engine does not keep the order of several
   * bindings of one target port, so ports with a fixed host port claim theirs first and the
   * others take what is left.
   */
  static List<PortBinding> portBindings(Task task, ContainerObservation container) {
    List<PortConfig> spec = task.getSpec().getEndpoint().getPortsList();
    List<ContainerObservation.BoundPort> unused = new ArrayList<>(container.ports());
    ContainerObservation.BoundPort[] claimed = new ContainerObservation.BoundPort[spec.size()];
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < spec.size(); i++) {
        PortConfig port = spec.get(i);
        boolean fixed = port.getPublishMode() == PublishMode.PUBLISH_MODE_HOST && port.getPublishedPort() != 0;
        if (claimed[i] != null || (pass == 0 && !fixed)) {
          continue;
        }
        ContainerConfig.Protocol protocol = ContainerConfigs.protocol(port.getProtocol());
        for (ContainerObservation.BoundPort bound : unused) {
          if (bound.protocol() == protocol && bound.targetPort() == port.getTargetPort()
              && (pass == 1 || bound.hostPort() == port.getPublishedPort())) {
            claimed[i] = bound;
            unused.remove(bound);
            break;
          }
        }
      }
    }
    List<PortBinding> bindings = new ArrayList<>();
    for (int i = 0; i < spec.size(); i++) {
      if (claimed[i] == null) {
        continue;
      }
      PortConfig port = spec.get(i);
      bindings.add(PortBinding.newBuilder()
          .setProtocol(claimed[i].protocol() == ContainerConfig.Protocol.UDP
              ? io.shoal.api.v1.Protocol.PROTOCOL_UDP : io.shoal.api.v1.Protocol.PROTOCOL_TCP)
          .setTargetPort(port.getTargetPort())
          .setHostIp(claimed[i].hostIp())
          .setHostPort(claimed[i].hostPort())
          .setPublishMode(port.getPublishMode() == PublishMode.PUBLISH_MODE_HOST
              ? PublishMode.PUBLISH_MODE_HOST : PublishMode.PUBLISH_MODE_INGRESS)
          .build());
    }
    return bindings;
  }

  private static String errorText(RuntimeException e) {
    return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static StatusBuilder transition(TaskStatus current, TaskState state, String message, Clock clock) {
    return new StatusBuilder(current, state, message, clock.instant());
  }

  /**
   * A new status: the previous container id and start time are kept (the scheduler measures
   * --update-monitor from the start time), everything else starts fresh.
   */
  private static final class StatusBuilder {
    private final TaskStatus.Builder status;

    StatusBuilder(TaskStatus current, TaskState state, String message, Instant now) {
      status = TaskStatus.newBuilder()
          .setState(state)
          .setMessage(message)
          .setTimestamp(Timestamps.toTimestamp(now))
          .setContainerId(current.getContainerId());
      if (current.hasStartTime()) {
        status.setStartTime(current.getStartTime());
      }
    }

    /** The task reaches RUNNING now, or was running since {@code since} (an adopted container). */
    StatusBuilder started(Optional<Instant> since) {
      status.setStartTime(since.map(Timestamps::toTimestamp).orElse(status.getTimestamp()));
      return this;
    }

    StatusBuilder err(String err) {
      status.setErr(err);
      return this;
    }

    StatusBuilder containerId(String id) {
      status.setContainerId(id);
      return this;
    }

    StatusBuilder exitCode(int code) {
      status.setExitCode(code);
      return this;
    }

    StatusBuilder ports(List<PortBinding> ports) {
      status.addAllPorts(ports);
      return this;
    }

    Step build() {
      return new Step.Transition(status.build());
    }
  }
}
