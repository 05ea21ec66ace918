package io.shoal.cli.service;

import io.shoal.api.v1.RestartPolicy;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateConfig;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import io.shoal.cli.format.HumanDuration;
import io.shoal.common.time.GoDuration;
import io.shoal.common.time.Timestamps;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** How `service inspect --pretty` and `service ls` show update status and deploy policies. */
final class DeployDisplay {
  private DeployDisplay() {}

  /** Docker's words for an update state: updating, paused, completed, rollback_started, … */
  static String state(UpdateState s) {
    return s.name().substring("UPDATE_STATE_".length()).toLowerCase(Locale.ROOT);
  }

  /** After REPLICAS in `service ls`, while an update or rollback is under way or stopped. */
  static String updateSuffix(Service s) {
    return switch (s.getUpdateStatus().getState()) {
      case UPDATE_STATE_UPDATING -> " (updating)";
      case UPDATE_STATE_PAUSED -> " (update paused)";
      case UPDATE_STATE_ROLLBACK_STARTED -> " (rolling back)";
      case UPDATE_STATE_ROLLBACK_PAUSED -> " (rollback paused)";
      default -> "";
    };
  }

  static void printUpdateStatus(PrintWriter out, Service service, int width) {
    if (!service.hasUpdateStatus() || service.getUpdateStatus().getState() == UpdateState.UPDATE_STATE_UNSPECIFIED) {
      return;
    }
    UpdateStatus u = service.getUpdateStatus();
    out.println("UpdateStatus:");
    field(out, width, "State", state(u.getState()));
    if (u.hasStartTime()) {
      field(out, width, "Started", HumanDuration.ago(since(u.getStartTime())));
    }
    if (u.hasCompletionTime()) {
      field(out, width, "Completed", HumanDuration.ago(since(u.getCompletionTime())));
    }
    field(out, width, "Message", u.getMessage());
  }

  static void printPolicies(PrintWriter out, ServiceSpec spec, int width) {
    if (spec.hasRestartPolicy()) {
      RestartPolicy r = spec.getRestartPolicy();
      out.println("RestartPolicy:");
      if (r.getCondition() != io.shoal.api.v1.RestartCondition.RESTART_CONDITION_UNSPECIFIED) {
        field(out, width, "Condition", r.getCondition().name().substring("RESTART_CONDITION_".length())
            .toLowerCase(Locale.ROOT).replace('_', '-'));
      }
      if (r.hasDelay()) {
        field(out, width, "Delay", duration(r.getDelay()));
      }
      if (r.getMaxAttempts() != 0) {
        field(out, width, "Max attempts", String.valueOf(r.getMaxAttempts()));
      }
      if (r.hasWindow()) {
        field(out, width, "Window", duration(r.getWindow()));
      }
    }
    config(out, width, "UpdateConfig", spec.hasUpdateConfig(), spec.getUpdateConfig());
    config(out, width, "RollbackConfig", spec.hasRollbackConfig(), spec.getRollbackConfig());
  }

  private static void config(PrintWriter out, int width, String title, boolean set, UpdateConfig c) {
    if (!set) {
      return;
    }
    out.println(title + ":");
    field(out, width, "Parallelism", String.valueOf(c.getParallelism()));
    if (c.hasDelay()) {
      field(out, width, "Delay", duration(c.getDelay()));
    }
    if (c.getFailureAction() != io.shoal.api.v1.UpdateFailureAction.UPDATE_FAILURE_ACTION_UNSPECIFIED) {
      field(out, width, "On failure", c.getFailureAction().name().substring("UPDATE_FAILURE_ACTION_".length())
          .toLowerCase(Locale.ROOT));
    }
    if (c.hasMonitor()) {
      field(out, width, "Monitoring Period", duration(c.getMonitor()));
    }
    if (c.getMaxFailureRatio() != 0) {
      field(out, width, "Max failure ratio", String.valueOf(c.getMaxFailureRatio()));
    }
    if (c.getOrder() != io.shoal.api.v1.UpdateOrder.UPDATE_ORDER_UNSPECIFIED) {
      field(out, width, "Update order", c.getOrder().name().substring("UPDATE_ORDER_".length())
          .toLowerCase(Locale.ROOT).replace('_', '-'));
    }
  }

  private static Duration since(com.google.protobuf.Timestamp t) {
    Duration d = Duration.between(Timestamps.toInstant(t), Instant.now());
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static String duration(com.google.protobuf.Duration d) {
    return GoDuration.format(Duration.ofSeconds(d.getSeconds(), d.getNanos()));
  }

  private static void field(PrintWriter out, int width, String key, String value) {
    String label = " " + key + ":";
    out.println((label + " ".repeat(Math.max(1, width - label.length())) + value).stripTrailing());
  }
}
