package io.shoal.scheduler.orchestrator;

import static io.shoal.common.task.TaskStates.terminal;
import static io.shoal.scheduler.ClusterView.assigned;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.common.placement.Constraint;
import io.shoal.scheduler.ClusterView;
import io.shoal.scheduler.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One task per ready, active node that satisfies the service's constraints, for a global service. New tasks carry their node already; the
 * placement step still checks that the node fits. Updates roll through the nodes as
 * {@link UpdateSupervisor} allows, stop-first or start-first.
 */
public final class GlobalOrchestrator {
  private final TaskFactory factory;
  private final RestartSupervisor restarts;
  private final UpdateSupervisor updates;

  public GlobalOrchestrator(TaskFactory factory, RestartSupervisor restarts, UpdateSupervisor updates) {
    this.factory = factory;
    this.restarts = restarts;
    this.updates = updates;
  }

  public void reconcile(Service service, List<Task> tasks, ClusterView view, Plan plan) {
    boolean startFirst = UpdateSupervisor.startFirst(service);
    Map<String, List<Task>> byNode = new HashMap<>();
    for (Task t : tasks) {
      byNode.computeIfAbsent(t.getNodeId(), k -> new ArrayList<>()).add(plan.current(t));
    }
    List<Task> outdated = new ArrayList<>();
    int inFlight = 0;
    int nodes = 0;
    List<Constraint> constraints = Constraint.parseAll(service.getSpec().getPlacement().getConstraintsList());
    for (Node node : view.nodeList()) {
      if (!eligible(node, view) || !Constraint.matchesAll(constraints, node)) {
        continue;
      }
      nodes++;
      List<Task> nodeTasks = byNode.getOrDefault(node.getId(), List.of());
      List<Task> live = new ArrayList<>();
      RestartSupervisor.Exited exited = null;
      for (Task t : ReplicatedOrchestrator.newestFirst(nodeTasks)) {
        if (t.getDesiredState() != TaskState.TASK_STATE_RUNNING) {
          continue;
        }
        if (!terminal(t.getStatus().getState())) {
          live.add(t);
        } else if (exited == null && live.isEmpty()) {
          exited = restarts.onExit(t, service, plan);
        } else {
          ReplicatedOrchestrator.shutDown(t, plan, "replaced");
        }
      }
      // A paused node keeps the tasks it has and gets no new ones.
      boolean paused = node.getSpec().getAvailability() == NodeAvailability.NODE_AVAILABILITY_PAUSE;
      if (exited != null) {
        if (exited.replaceNow() && !paused) {
          plan.create(ReplicatedOrchestrator.restarted(factory.newTask(service, 0, node.getId()), exited));
        }
        if (exited.replaceNow() || exited.waiting()) {
          inFlight++;
        }
        continue;
      }
      if (live.isEmpty()) {
        if (paused) {
          continue;
        }
        inFlight++;
        if (nodeTasks.stream().noneMatch(t -> ReplicatedOrchestrator.stopping(t, view))) {
          plan.create(factory.newTask(service, 0, node.getId()));
        }
        continue;
      }
      Task current = live.get(0);
      boolean currentDirty = TaskSpecs.dirty(current, service.getSpec(), view);
      boolean currentRunning = current.getStatus().getState() == TaskState.TASK_STATE_RUNNING;
      if (live.size() > 1) {
        if (startFirst && !currentDirty && !currentRunning) {
          inFlight++; // start-first: the old task serves until its replacement runs
          continue;
        }
        live.subList(1, live.size()).forEach(t -> ReplicatedOrchestrator.shutDown(t, plan, "replaced"));
      }
      if (currentDirty && !paused) {
        outdated.add(current);
      } else if (!currentRunning) {
        inFlight++;
      }
    }
    // Tasks on nodes that left (down, drained, gone) stop; unplaced ones too.
    for (Task t : tasks) {
      Task current = plan.current(t);
      if (current.getDesiredState() == TaskState.TASK_STATE_RUNNING
          && (!view.nodes().containsKey(current.getNodeId()) || !eligible(view.nodes().get(current.getNodeId()), view)
              || !Constraint.matchesAll(constraints, view.nodes().get(current.getNodeId())))
          && (assigned(current) || !current.getNodeId().isEmpty())) {
        ReplicatedOrchestrator.shutDown(current, plan, "node left the service");
      }
    }
    int allowed = updates.allowed(service, tasks.stream().map(plan::current).toList(), nodes,
        outdated.size(), inFlight, plan);
    for (Task old : outdated) {
      if (allowed-- <= 0) {
        break;
      }
      if (startFirst) {
        plan.create(factory.newTask(service, 0, old.getNodeId()));
      } else {
        ReplicatedOrchestrator.shutDown(old, plan, "updating to the new spec");
      }
    }
  }

  private static boolean eligible(Node node, ClusterView view) {
    return view.nodeReady(node.getId())
        && node.getSpec().getAvailability() != NodeAvailability.NODE_AVAILABILITY_DRAIN;
  }
}
