package io.shoal.scheduler.orchestrator;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.common.placement.Constraint;
import io.shoal.scheduler.ClusterView;

/**
 * When a running task no longer matches its service (SwarmKit's IsTaskDirty): what the
 * container runs, its secrets and configs (files fixed when its container is created, part of
 * SwarmKit's ContainerSpec), its resources, its restart policy, how its ports are published, its networks
 * (a network added or removed, an alias changed: a task's interfaces and addresses are fixed for
 * its life), or a forced update. Scaling, renaming, relabelling or changing the mesh's load
 * balancing or the endpoint mode leaves its tasks alone (a name's answers change, not the task),
 * and so does a placement change its node still satisfies. The CLI's convergence check
 * (cli/.../progress/Convergence) applies the same rule.
 */
public final class TaskSpecs {
  private TaskSpecs() {}

  public static boolean dirty(ServiceSpec taskSpec, ServiceSpec serviceSpec) {
    return !taskSpec.getContainer().equals(serviceSpec.getContainer())
        || !taskSpec.getSecretsList().equals(serviceSpec.getSecretsList())
        || !taskSpec.getConfigsList().equals(serviceSpec.getConfigsList())
        || !taskSpec.getResources().equals(serviceSpec.getResources())
        || !taskSpec.getRestartPolicy().equals(serviceSpec.getRestartPolicy())
        || !taskSpec.getEndpoint().getPortsList().equals(serviceSpec.getEndpoint().getPortsList())
        || !taskSpec.getNetworksList().equals(serviceSpec.getNetworksList())
        || taskSpec.getForceUpdate() != serviceSpec.getForceUpdate();
  }

  /**
   * {@link #dirty(ServiceSpec, ServiceSpec)} for a placed task, plus placement: a change of
   * constraints, preferences or max replicas alone redeploys the task only when its node no
   * longer satisfies the new constraints (SwarmKit's IsTaskDirtyPlacementConstraintsOnly).
   */
  public static boolean dirty(Task task, ServiceSpec serviceSpec, ClusterView view) {
    if (dirty(task.getSpec(), serviceSpec)) {
      return true;
    }
    if (task.getSpec().getPlacement().equals(serviceSpec.getPlacement())) {
      return false;
    }
    Node node = view.nodes().get(task.getNodeId());
    return node != null
        && !Constraint.matchesAll(Constraint.parseAll(serviceSpec.getPlacement().getConstraintsList()), node);
  }
}
