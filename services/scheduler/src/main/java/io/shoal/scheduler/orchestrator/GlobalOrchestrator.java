package io.shoal.scheduler.orchestrator;

import static io.shoal.scheduler.ClusterView.assigned;
import static io.shoal.scheduler.ClusterView.terminal;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.scheduler.ClusterView;
import io.shoal.scheduler.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One task per ready, active node for a global service. New tasks carry their node already; the
 * placement step still checks that the node fits. Updates roll node by node, stop-first.
 */
public final class GlobalOrchestrator {
  private final TaskFactory factory;
  private final RestartSupervisor restarts;

  public GlobalOrchestrator(TaskFactory factory, RestartSupervisor restarts) {
    this.factory = factory;
    this.restarts = restarts;
  }

  public void reconcile(Service service, List<Task> tasks, ClusterView view, Plan plan) {
    Map<String, List<Task>> byNode = new HashMap<>();
    for (Task t : tasks) {
      byNode.computeIfAbsent(t.getNodeId(), k -> new ArrayList<>()).add(plan.current(t));
    }
    List<Task> outdated = new ArrayList<>();
    int inFlight = 0;
    for (Node node : view.nodeList()) {
      if (!eligible(node, view)) {
        continue;
      }
      List<Task> nodeTasks = byNode.getOrDefault(node.getId(), List.of());
      Task current = nodeTasks.stream()
          .filter(t -> t.getDesiredState() == TaskState.TASK_STATE_RUNNING).findFirst().orElse(null);
      if (current != null && terminal(current.getStatus().getState())) {
        RestartSupervisor.Exited exited = restarts.onExit(current, service, plan);
        if (exited.replaceNow()) {
          plan.create(ReplicatedOrchestrator.restarted(factory.newTask(service, 0, node.getId()), exited));
        }
        if (exited.replaceNow() || exited.waiting()) {
          inFlight++;
        }
        continue;
      }
      if (current == null) {
        inFlight++;
        if (nodeTasks.stream().noneMatch(t -> ReplicatedOrchestrator.stopping(t, view))) {
          plan.create(factory.newTask(service, 0, node.getId()));
        }
      } else if (TaskSpecs.dirty(current.getSpec(), service.getSpec())) {
        outdated.add(current);
      } else if (current.getStatus().getState() != TaskState.TASK_STATE_RUNNING) {
        inFlight++;
      }
    }
    // Tasks on nodes that left (down, drained, gone) stop; unplaced ones too.
    for (Task t : tasks) {
      Task current = plan.current(t);
      if (current.getDesiredState() == TaskState.TASK_STATE_RUNNING
          && (!view.nodes().containsKey(current.getNodeId()) || !eligible(view.nodes().get(current.getNodeId()), view))
          && (assigned(current) || !current.getNodeId().isEmpty())) {
        ReplicatedOrchestrator.shutDown(current, plan, "node left the service");
      }
    }
    for (Task old : outdated) {
      if (inFlight >= ReplicatedOrchestrator.UPDATE_PARALLELISM) {
        break;
      }
      ReplicatedOrchestrator.shutDown(old, plan, "updating to the new spec");
      inFlight++;
    }
  }

  private static boolean eligible(Node node, ClusterView view) {
    return view.nodeReady(node.getId())
        && node.getSpec().getAvailability() != NodeAvailability.NODE_AVAILABILITY_DRAIN;
  }
}
