package io.shoal.agent.exec;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A task's container as the engine reported it at one moment.
 *
 * @param id the engine's container id
 * @param taskId the task id from its label
 * @param state created (never started), running, or exited
 * @param exitCode the exit code once exited
 * @param error the engine's error for a container that could not run, or empty
 * @param ports the host bindings the engine made for published ports
 * @param health the healthcheck's verdict, NONE without a healthcheck
 * @param healthOutput the last check's output (trimmed), for a task that fails unhealthy
 * @param startedAt when the engine last started it (Docker's State.StartedAt), if ever
 */
public record ContainerObservation(
    String id, String taskId, State state, int exitCode, String error, List<BoundPort> ports,
    Health health, String healthOutput, Optional<Instant> startedAt) {

  public ContainerObservation {
    ports = List.copyOf(ports);
  }

  /** A container without a healthcheck. */
  public ContainerObservation(String id, String taskId, State state, int exitCode, String error,
      List<BoundPort> ports) {
    this(id, taskId, state, exitCode, error, ports, Health.NONE, "", Optional.empty());
  }

  /** A container whose start time the engine did not say. */
  public ContainerObservation(String id, String taskId, State state, int exitCode, String error,
      List<BoundPort> ports, Health health, String healthOutput) {
    this(id, taskId, state, exitCode, error, ports, health, healthOutput, Optional.empty());
  }

  /** Docker's State.Health.Status. */
  public enum Health {
    /** No healthcheck (none in the spec or the image, or NONE). */
    NONE,
    /** Checks have not passed yet (or failed fewer than --health-retries times in a row). */
    STARTING,
    HEALTHY,
    UNHEALTHY
  }

  public enum State {
    /** Created, never started. */
    CREATED,
    /** Running (or paused or restarting: its process exists). */
    RUNNING,
    /** Its process ended (or it is dead or being removed). */
    EXITED
  }

  /** A published port as bound on the host. */
  public record BoundPort(ContainerConfig.Protocol protocol, int targetPort, String hostIp, int hostPort) {}
}
