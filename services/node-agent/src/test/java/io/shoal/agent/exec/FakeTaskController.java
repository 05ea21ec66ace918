package io.shoal.agent.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A task's container in memory: records the calls, fails on demand. */
final class FakeTaskController implements TaskController {
  final List<String> calls = new ArrayList<>();
  ContainerObservation container;
  RuntimeException prepareFailure;
  RuntimeException startFailure;
  /** What a started container does at once: keep running, or exit with this code. */
  Integer exitOnStart;
  List<ContainerObservation.BoundPort> portsOnStart = List.of();
  /** The healthcheck's verdict on a started container (NONE: it has no healthcheck). */
  ContainerObservation.Health healthOnStart = ContainerObservation.Health.NONE;

  /** The engine's new verdict on the running container, with the last check's output. */
  FakeTaskController health(ContainerObservation.Health health, String output) {
    container = new ContainerObservation(container.id(), "t1", container.state(), container.exitCode(), "",
        container.ports(), health, output);
    return this;
  }

  FakeTaskController withContainer(ContainerObservation.State state, int exitCode) {
    container = new ContainerObservation("c1", "t1", state, exitCode, "", portsOnStart);
    return this;
  }

  @Override
  public Optional<ContainerObservation> inspect() {
    calls.add("inspect");
    return Optional.ofNullable(container);
  }

  @Override
  public void prepare() {
    calls.add("prepare");
    if (prepareFailure != null) {
      throw prepareFailure;
    }
    if (container == null) {
      container = new ContainerObservation("c1", "t1", ContainerObservation.State.CREATED, 0, "", List.of());
    }
  }

  @Override
  public void start() {
    calls.add("start");
    if (startFailure != null) {
      throw startFailure;
    }
    container = exitOnStart == null
        ? new ContainerObservation(container.id(), "t1", ContainerObservation.State.RUNNING, 0, "", portsOnStart,
            healthOnStart, "")
        : new ContainerObservation(container.id(), "t1", ContainerObservation.State.EXITED, exitOnStart, "", List.of());
  }

  @Override
  public void shutdownAndRemove() {
    calls.add("shutdownAndRemove");
    container = null;
  }

  /** The calls other than inspect, which the step may make as often as it likes. */
  List<String> actions() {
    return calls.stream().filter(c -> !c.equals("inspect")).toList();
  }
}
