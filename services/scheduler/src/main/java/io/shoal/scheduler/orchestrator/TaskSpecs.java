package io.shoal.scheduler.orchestrator;

import io.shoal.api.v1.ServiceSpec;

/**
 * When a running task no longer matches its service (SwarmKit's IsTaskDirty): what the
 * container runs, its resources, its restart policy, how its ports are published, or a forced update. Scaling,
 * renaming, relabelling or changing the mesh's load balancing leaves its tasks alone. The CLI's convergence check
 * (cli/.../progress/Convergence) applies the same rule.
 */
public final class TaskSpecs {
  private TaskSpecs() {}

  public static boolean dirty(ServiceSpec taskSpec, ServiceSpec serviceSpec) {
    return !taskSpec.getContainer().equals(serviceSpec.getContainer())
        || !taskSpec.getResources().equals(serviceSpec.getResources())
        || !taskSpec.getRestartPolicy().equals(serviceSpec.getRestartPolicy())
        || !taskSpec.getEndpoint().getPortsList().equals(serviceSpec.getEndpoint().getPortsList())
        || taskSpec.getForceUpdate() != serviceSpec.getForceUpdate();
  }
}
