package io.shoal.scheduler;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.scheduler.orchestrator.GlobalOrchestrator;
import io.shoal.scheduler.orchestrator.ReplicatedOrchestrator;
import io.shoal.scheduler.orchestrator.TaskReaper;
import io.shoal.scheduler.network.AddressAllocator;
import io.shoal.scheduler.network.AddressAllocator.Pools;
import io.shoal.scheduler.placement.Placer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over the cluster: orchestrate every service (which tasks should exist), reap what is
 * left of deleted services, give services and waiting tasks their network addresses, then place
 * the tasks that wait for a node. Pure but for logging:
 * reads a view, returns a plan.
 *
 * <p>Each service is reconciled on its own: when its spec holds a value out of range
 * ({@link StoredValues#check}) or its orchestration or placement throws, what it decided is
 * taken back ({@link Plan#allOrNothing}), the service gets a {@code reconcile_error}
 * ({@link ReconcileErrors}), and every other service goes on converging in the same pass.
 */
public final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final ReplicatedOrchestrator replicated;
  private final GlobalOrchestrator global;
  private final TaskReaper reaper;
  private final Placer placer;
  private final AddressAllocator addresses;
  private final ReconcileErrors errors = new ReconcileErrors();
  private final ScheduleTraces traces;

  public Reconciler(ReplicatedOrchestrator replicated, GlobalOrchestrator global, TaskReaper reaper, Placer placer,
      AddressAllocator addresses) {
    this(replicated, global, reaper, placer, addresses, ScheduleTraces.off());
  }

  Reconciler(ReplicatedOrchestrator replicated, GlobalOrchestrator global, TaskReaper reaper, Placer placer,
      AddressAllocator addresses, ScheduleTraces traces) {
    this.traces = traces;
    this.replicated = replicated;
    this.global = global;
    this.reaper = reaper;
    this.placer = placer;
    this.addresses = addresses;
  }

  public Plan reconcile(ClusterView view) {
    Plan plan = new Plan();
    Map<String, List<Task>> byService = view.tasksByService();
    Map<String, RuntimeException> failed = new HashMap<>();
    for (Service service : view.services().values()) {
      List<Task> tasks = byService.getOrDefault(service.getId(), List.of());
      traces.orchestrating(service);
      plan.allOrNothing(() -> {
        StoredValues.check(service.getSpec());
        if (service.getSpec().hasGlobal()) {
          global.reconcile(service, tasks, view, plan);
        } else {
          replicated.reconcile(service, tasks, view, plan);
        }
        reaper.deleteRemoved(tasks, view, plan);
        reaper.trimHistory(tasks, plan);
      }).ifPresent(e -> failed.put(service.getId(), e));
    }
    byService.forEach((serviceId, tasks) -> {
      if (!view.services().containsKey(serviceId)) {
        // Nothing to mark: the service is gone. Its tasks stay as they are until this works.
        Service removed = view.removedServices().get(serviceId);
        if (removed != null) {
          traces.orchestrating(removed);
        }
        plan.allOrNothing(() -> reaper.removeOrphans(tasks, view, plan))
            .ifPresent(e -> log.debug("tasks of deleted service {} not removed: {}", serviceId, e.toString()));
      }
    });
    Pools pools = addresses.startPass(view);
    Map<String, List<Task>> created = new HashMap<>();
    plan.creates().forEach(t -> created.computeIfAbsent(t.getServiceId(), k -> new ArrayList<>()).add(t));
    for (Service service : view.services().values()) {
      // A service on no network, and with no virtual IP left to drop, has nothing to allocate.
      boolean networked = service.getSpec().getNetworksCount() > 0 || service.hasEndpoint();
      if (networked && !failed.containsKey(service.getId())) {
        List<Task> tasks = new ArrayList<>(byService.getOrDefault(service.getId(), List.of()));
        tasks.addAll(created.getOrDefault(service.getId(), List.of()));
        plan.allOrNothing(() -> addresses.allocate(service, tasks, plan, pools))
            .ifPresent(e -> failed.put(service.getId(), e));
      }
    }
    traces.placing();
    placer.place(view, plan, failed.keySet(), failed::putIfAbsent);
    traces.placed(id -> view.services().getOrDefault(id, view.removedServices().get(id)), plan);
    errors.record(view.services().values(), failed, plan);
    return plan;
  }

  /** Services whose last pass failed (a gauge reads it). */
  public int unreconciled() {
    return errors.count();
  }
}
