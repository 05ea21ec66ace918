package io.shoal.scheduler.orchestrator;

import io.shoal.api.v1.ServiceSpec;

/**
 * When a running task no longer matches its service (SwarmKit's IsTaskDirty): what the
 * container runs, how its ports are published, or a forced update. Scaling, renaming or
 * relabelling the service leaves its tasks alone. The CLI's convergence check
 * (cli/.../progress/Convergence) applies the same rule.
 */
public final class TaskSpecs {
  private TaskSpecs() {}

  public static boolean dirty(ServiceSpec taskSpec, ServiceSpec serviceSpec) {
    return !taskSpec.getContainer().equals(serviceSpec.getContainer())
        || !taskSpec.getEndpoint().equals(serviceSpec.getEndpoint())
        || taskSpec.getForceUpdate() != serviceSpec.getForceUpdate();
  }
}
