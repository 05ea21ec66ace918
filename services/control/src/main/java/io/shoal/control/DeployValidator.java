package io.shoal.control;

import com.google.protobuf.Duration;
import io.shoal.api.v1.Placement;
import io.shoal.api.v1.Resources;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateConfig;
import io.shoal.api.v1.UpdateFailureAction;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.placement.Constraint;

/**
 * The scheduler's parts of a ServiceSpec, checked at the edge (SpecValidator calls it): placement
 * constraints and preferences, resources, restart policy, update and rollback configs. Messages
 * name the field, as SwarmKit's controlapi does.
 */
final class DeployValidator {
  private DeployValidator() {}

  static void check(ServiceSpec spec) {
    Placement p = spec.getPlacement();
    for (int i = 0; i < p.getConstraintsCount(); i++) {
      try {
        Constraint.parse(p.getConstraints(i));
      } catch (IllegalArgumentException e) {
        throw new InvalidArgumentException("Placement.constraints[" + i + "]", e.getMessage());
      }
    }
    for (int i = 0; i < p.getPreferencesCount(); i++) {
      String spread = p.getPreferences(i).getSpread();
      if (!spread.startsWith("node.labels.") || spread.length() == "node.labels.".length()) {
        throw new InvalidArgumentException("Placement.preferences[" + i + "].spread",
            "\"" + spread + "\" must be node.labels.KEY (e.g. spread=node.labels.zone)");
      }
    }
    resources("ResourceRequirements.limits", spec.getResources().getLimits());
    resources("ResourceRequirements.reservations", spec.getResources().getReservations());
    nonNegative("RestartPolicy.delay", spec.getRestartPolicy().getDelay());
    nonNegative("RestartPolicy.window", spec.getRestartPolicy().getWindow());
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

  private static void update(String field, UpdateConfig c) {
    nonNegative(field + ".delay", c.getDelay());
    nonNegative(field + ".monitor", c.getMonitor());
    if (!(c.getMaxFailureRatio() >= 0 && c.getMaxFailureRatio() <= 1)) {
      throw new InvalidArgumentException(field + ".max_failure_ratio", c.getMaxFailureRatio() + " is not between 0 and 1");
    }
  }

  private static void nonNegative(String field, Duration d) {
    if (d.getSeconds() < 0 || d.getNanos() < 0) {
      throw new InvalidArgumentException(field, "must not be negative");
    }
  }
}
