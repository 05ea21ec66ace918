package io.shoal.cli.progress;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.common.placement.Constraint;
import io.shoal.common.task.TaskStates;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * How far a service is from what its spec asks for: a pure function of one poll (service, tasks,
 * nodes), so the rules have table tests and the waiter only fetches and draws.
 *
 * <p>A task is <em>converged</em> when its desired state is RUNNING, its status is RUNNING and it
 * runs the service's current spec. "Current" ignores the replica count: scaling does not redeploy
 * the tasks that stay, so their copy of the spec keeps the old count.
 *
 * <p>Replicated: one progress line per slot 1..replicas, showing the newest up-to-date task that
 * should run there. Global: one line per ready, active node. The service has converged when every
 * line has a converged task and no other task that should run is still around (an old-spec task not
 * yet stopped, a task of a slot scaled away).
 */
public final class Convergence {
  /** Newest first by creation time; a stable sort keeps the server's order for ties. */
  private static final Comparator<Task> NEWEST_FIRST =
      Comparator.comparingLong((Task t) -> t.getCreateTime().getSeconds())
          .thenComparingInt(t -> t.getCreateTime().getNanos())
          .reversed();

  private Convergence() {}

  /**
   * One progress line.
   *
   * @param label {@code 1/3} for a slot, the node's hostname for a global service
   * @param state the shown task's state, empty when no up-to-date task is there yet
   * @param note why the slot is not running, empty if nothing to say: a failed task's error or a
   *     pending task's reason
   */
  public record Line(String label, Optional<TaskState> state, String note) {}

  /**
   * @param converged lines with a converged task
   * @param target lines wanted (replicas, or ready nodes for a global service)
   * @param done converged, and nothing else left to stop
   */
  public record Snapshot(long converged, long target, List<Line> lines, boolean done) {}

  public static Snapshot evaluate(Service service, List<Task> tasks, List<Node> nodes) {
    ServiceSpec spec = service.getSpec();
    Map<String, Node> byId = nodes.stream().collect(Collectors.toMap(Node::getId, n -> n, (a, b) -> a));
    List<Task> upToDate = tasks.stream().filter(t -> upToDate(t, spec, byId)).toList();
    return spec.hasGlobal()
        ? global(upToDate, tasks, nodes, spec, byId)
        : replicated(upToDate, tasks, spec, byId);
  }

  private static Snapshot replicated(
      List<Task> upToDate, List<Task> all, ServiceSpec spec, Map<String, Node> nodes) {
    long replicas = spec.getReplicated().getReplicas();
    List<Line> lines = new ArrayList<>();
    long converged = 0;
    for (long slot = 1; slot <= replicas; slot++) {
      long s = slot;
      Line line = line(slot + "/" + replicas, upToDate, t -> t.getSlot() == s);
      lines.add(line);
      if (line.state().equals(Optional.of(TaskState.TASK_STATE_RUNNING))) {
        converged++;
      }
    }
    boolean stray =
        all.stream()
            .anyMatch(
                t -> shouldRun(t) && !(converged(t, spec, nodes) && t.getSlot() <= replicas));
    return new Snapshot(converged, replicas, lines, converged == replicas && !stray);
  }

  private static Snapshot global(
      List<Task> upToDate,
      List<Task> all,
      List<Node> nodes,
      ServiceSpec spec,
      Map<String, Node> byId) {
    List<Node> eligible =
        nodes.stream()
            .filter(Convergence::eligible)
            .sorted(Comparator.comparing(n -> n.getDescription().getHostname()))
            .toList();
    Set<String> eligibleIds = eligible.stream().map(Node::getId).collect(Collectors.toSet());
    List<Line> lines = new ArrayList<>();
    long converged = 0;
    for (Node node : eligible) {
      String label = node.getDescription().getHostname();
      Line line =
          line(
              label.isEmpty() ? node.getId() : label,
              upToDate,
              t -> t.getNodeId().equals(node.getId()));
      lines.add(line);
      if (line.state().equals(Optional.of(TaskState.TASK_STATE_RUNNING))) {
        converged++;
      }
    }
    // Tasks on nodes that went away or were drained are the scheduler's to clean up; only the
    // eligible nodes have to be in order.
    boolean stray =
        all.stream()
            .filter(t -> eligibleIds.contains(t.getNodeId()))
            .anyMatch(t -> shouldRun(t) && !converged(t, spec, byId));
    return new Snapshot(converged, eligible.size(), lines, converged == eligible.size() && !stray);
  }

  private static Line line(String label, List<Task> upToDate, Predicate<Task> here) {
    List<Task> inSlot = upToDate.stream().filter(here).sorted(NEWEST_FIRST).toList();
    Optional<Task> shown =
        inSlot.stream()
            .filter(t -> t.getDesiredState() == TaskState.TASK_STATE_RUNNING)
            .findFirst();
    Optional<TaskState> state = shown.map(t -> t.getStatus().getState());
    String pending = shown.map(Convergence::pendingReason).orElse("");
    return new Line(
        label, state, pending.isEmpty() ? errorNote(state, inSlot) : "pending: " + pending);
  }

  /** The newest error in the slot, unless the slot runs. */
  private static String errorNote(Optional<TaskState> state, List<Task> inSlot) {
    if (state.equals(Optional.of(TaskState.TASK_STATE_RUNNING))) {
      return "";
    }
    return inSlot.stream()
        .map(t -> t.getStatus().getErr())
        .filter(e -> !e.isEmpty())
        .findFirst()
        .map(e -> "error: " + e)
        .orElse("");
  }

  /**
   * Why a task is not placed yet ("no suitable node (...)"): the scheduler's reason, in its message
   * or its err; empty once the task is past PENDING.
   */
  private static String pendingReason(Task t) {
    if (t.getStatus().getState().getNumber() > TaskState.TASK_STATE_PENDING_VALUE) {
      return "";
    }
    return t.getStatus().getErr().isEmpty() ? t.getStatus().getMessage() : t.getStatus().getErr();
  }

  /** Wants to run and has not ended. */
  private static boolean shouldRun(Task t) {
    return t.getDesiredState() == TaskState.TASK_STATE_RUNNING
        && !TaskStates.terminal(t.getStatus().getState());
  }

  /** Running the current spec, and meant to. */
  public static boolean converged(Task t, ServiceSpec spec) {
    return converged(t, spec, Map.of());
  }

  static boolean converged(Task t, ServiceSpec spec, Map<String, Node> nodes) {
    return t.getDesiredState() == TaskState.TASK_STATE_RUNNING
        && t.getStatus().getState() == TaskState.TASK_STATE_RUNNING
        && upToDate(t, spec, nodes);
  }

  /**
   * {@link #upToDate(Task, ServiceSpec)}, plus placement: a task whose placement differs is still
   * up to date while its node (when known) satisfies the new constraints, as the scheduler's
   * TaskSpecs.dirty decides with the same {@link Constraint}.
   */
  static boolean upToDate(Task t, ServiceSpec spec, Map<String, Node> nodes) {
    if (!upToDate(t, spec)) {
      return false;
    }
    if (t.getSpec().getPlacement().equals(spec.getPlacement())) {
      return true;
    }
    Node node = nodes.get(t.getNodeId());
    return node == null
        || Constraint.matchesAll(Constraint.parseAll(spec.getPlacement().getConstraintsList()), node);
  }

  /**
   * The task runs {@code spec} (placement aside): same container, secrets and configs, resources, restart policy, published ports, networks
   * (with their aliases) and forced-update counter. Scaling, renaming or relabelling leaves tasks alone; the scheduler's TaskSpecs.dirty
   * (services/scheduler) is the same rule, and the CLI does not depend on that module.
   */
  public static boolean upToDate(Task t, ServiceSpec spec) {
    ServiceSpec ts = t.getSpec();
    return ts.getContainer().equals(spec.getContainer())
        && ts.getSecretsList().equals(spec.getSecretsList())
        && ts.getConfigsList().equals(spec.getConfigsList())
        && ts.getResources().equals(spec.getResources())
        && ts.getRestartPolicy().equals(spec.getRestartPolicy())
        && ts.getEndpoint().getPortsList().equals(spec.getEndpoint().getPortsList())
        && ts.getNetworksList().equals(spec.getNetworksList())
        && ts.getForceUpdate() == spec.getForceUpdate();
  }

  /** A global service runs one task on each node that is ready and accepts new tasks. */
  static boolean eligible(Node node) {
    NodeAvailability a = node.getSpec().getAvailability();
    return node.getStatus().getState() == NodeState.NODE_STATE_READY
        && (a == NodeAvailability.NODE_AVAILABILITY_ACTIVE
            || a == NodeAvailability.NODE_AVAILABILITY_UNSPECIFIED);
  }
}
