package io.shoal.control;

import io.shoal.control.limits.SpecLimits;
import io.shoal.api.v1.Placement;
import io.shoal.api.v1.Resources;
import io.shoal.api.v1.RestartCondition;
import io.shoal.api.v1.RestartPolicy;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateConfig;
import io.shoal.api.v1.UpdateFailureAction;
import io.shoal.api.v1.UpdateOrder;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.placement.Constraint;

/**
 * The scheduler's parts of a ServiceSpec, checked at the edge (SpecValidator calls it): placement
 * constraints and preferences, resources, restart policy, update and rollback configs, each within
 * {@link SpecLimits}. Messages name the field, as SwarmKit's controlapi does.
 */
final class DeployValidator {
  private DeployValidator() {}

  static void check(ServiceSpec spec) {
    Placement p = spec.getPlacement();
    SpecLimits.count("Placement.constraints", p.getConstraintsCount(), SpecLimits.MAX_CONSTRAINTS);
    for (int i = 0; i < p.getConstraintsCount(); i++) {
      SpecLimits.length("Placement.constraints[" + i + "]", p.getConstraints(i), SpecLimits.MAX_CONSTRAINT);
      try {
        Constraint.parse(p.getConstraints(i));
      } catch (IllegalArgumentException e) {
        throw new InvalidArgumentException("Placement.constraints[" + i + "]", e.getMessage());
      }
    }
    SpecLimits.count("Placement.preferences", p.getPreferencesCount(), SpecLimits.MAX_PREFERENCES);
    for (int i = 0; i < p.getPreferencesCount(); i++) {
      String spread = p.getPreferences(i).getSpread();
      SpecLimits.length("Placement.preferences[" + i + "].spread", spread, SpecLimits.MAX_PREFERENCE);
      if (!spread.startsWith("node.labels.") || spread.length() == "node.labels.".length()) {
        throw new InvalidArgumentException("Placement.preferences[" + i + "].spread",
            "\"" + spread + "\" must be node.labels.KEY (e.g. spread=node.labels.zone)");
      }
    }
    // 0 means no limit; a per-node cap above the largest service is a typo.
    SpecLimits.unsigned("Placement.max_replicas", p.getMaxReplicas(), SpecLimits.MAX_REPLICAS);
    resources("ResourceRequirements.limits", spec.getResources().getLimits());
    resources("ResourceRequirements.reservations", spec.getResources().getReservations());
    restart(spec.getRestartPolicy());
    update("UpdateConfig", spec.getUpdateConfig());
    update("RollbackConfig", spec.getRollbackConfig());
    if (spec.getRollbackConfig().getFailureAction() == UpdateFailureAction.UPDATE_FAILURE_ACTION_ROLLBACK) {
      throw new InvalidArgumentException("RollbackConfig.failure_action", "a rollback can only pause or continue on failure");
    }
  }

  private static void resources(String field, Resources r) {
    if (r.getNanoCpus() < 0 || r.getMemoryBytes() < 0) {
      throw new InvalidArgumentException(field, "CPU and memory must not be negative");
    }
  }

  private static void restart(RestartPolicy r) {
    if (r.getCondition() == RestartCondition.UNRECOGNIZED) {
      throw new InvalidArgumentException("RestartPolicy.condition",
          "unknown restart condition " + r.getConditionValue() + " (use none, on-failure or any)");
    }
    SpecLimits.duration("RestartPolicy.delay", r.getDelay());
    SpecLimits.duration("RestartPolicy.window", r.getWindow());
    SpecLimits.unsigned("RestartPolicy.max_attempts", r.getMaxAttempts(), SpecLimits.MAX_RESTART_ATTEMPTS);
  }

  private static void update(String field, UpdateConfig c) {
    // 0 means all at once, as in Swarm; the scheduler counts tasks in an int.
    SpecLimits.unsigned(field + ".parallelism", c.getParallelism(), SpecLimits.MAX_REPLICAS);
    SpecLimits.duration(field + ".delay", c.getDelay());
    SpecLimits.duration(field + ".monitor", c.getMonitor());
    if (c.getFailureAction() == UpdateFailureAction.UNRECOGNIZED) {
      throw new InvalidArgumentException(field + ".failure_action",
          "unknown failure action " + c.getFailureActionValue() + " (use pause, continue or rollback)");
    }
    if (c.getOrder() == UpdateOrder.UNRECOGNIZED) {
      throw new InvalidArgumentException(field + ".order",
          "unknown order " + c.getOrderValue() + " (use stop-first or start-first)");
    }
    if (!(c.getMaxFailureRatio() >= 0 && c.getMaxFailureRatio() <= 1)) {
      throw new InvalidArgumentException(field + ".max_failure_ratio", c.getMaxFailureRatio() + " is not between 0 and 1");
    }
  }
}
