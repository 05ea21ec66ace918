package io.shoal.scheduler;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.scheduler.orchestrator.GlobalOrchestrator;
import io.shoal.scheduler.orchestrator.ReplicatedOrchestrator;
import io.shoal.scheduler.orchestrator.TaskReaper;
import io.shoal.scheduler.placement.Placer;
import java.util.List;
import java.util.Map;

/**
 * One pass over the cluster: orchestrate every service (which tasks should exist), reap what is
 * left of deleted services, then place the tasks that wait for a node. Pure: reads a view,
 * returns a plan.
 */
public final class Reconciler {
  private final ReplicatedOrchestrator replicated;
  private final GlobalOrchestrator global;
  private final TaskReaper reaper;
  private final Placer placer;

  public Reconciler(ReplicatedOrchestrator replicated, GlobalOrchestrator global, TaskReaper reaper, Placer placer) {
    this.replicated = replicated;
    this.global = global;
    this.reaper = reaper;
    this.placer = placer;
  }

  public Plan reconcile(ClusterView view) {
    Plan plan = new Plan();
    Map<String, List<Task>> byService = view.tasksByService();
    for (Service service : view.services().values()) {
      List<Task> tasks = byService.getOrDefault(service.getId(), List.of());
      if (service.getSpec().hasGlobal()) {
        global.reconcile(service, tasks, view, plan);
      } else {
        replicated.reconcile(service, tasks, view, plan);
      }
      reaper.trimHistory(tasks, plan);
    }
    byService.forEach((serviceId, tasks) -> {
      if (!view.services().containsKey(serviceId)) {
        reaper.removeOrphans(tasks, view, plan);
      }
    });
    placer.place(view, plan);
    return plan;
  }
}
