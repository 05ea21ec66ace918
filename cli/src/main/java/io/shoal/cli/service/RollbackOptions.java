package io.shoal.cli.service;

import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateFailureAction;
import io.shoal.api.v1.UpdateOrder;
import io.shoal.cli.Converters;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --rollback-*}: how a rollback rolls through the tasks, the same flags on create and update. */
public final class RollbackOptions {
  @Option(
      names = "--rollback-parallelism",
      paramLabel = "N",
      converter = Converters.Replicas.class,
      description = "Maximum number of tasks rolled back simultaneously (0 to roll back all at once) (default 1)")
  Long parallelism;

  @Option(
      names = "--rollback-delay",
      paramLabel = "DURATION",
      converter = Converters.GoDurationConverter.class,
      description = "Delay between task rollbacks (ns|us|ms|s|m|h) (default 0s)")
  Duration delay;

  @Option(
      names = "--rollback-failure-action",
      paramLabel = "ACTION",
      converter = UpdateConfigOptions.RollbackFailureActionConverter.class,
      description = "Action on rollback failure (\"pause\", \"continue\") (default \"pause\")")
  UpdateFailureAction failureAction;

  @Option(
      names = "--rollback-monitor",
      paramLabel = "DURATION",
      converter = Converters.GoDurationConverter.class,
      description = "Duration after each task rollback to monitor for failure (ns|us|ms|s|m|h) (default 5s)")
  Duration monitor;

  @Option(
      names = "--rollback-max-failure-ratio",
      paramLabel = "RATIO",
      converter = UpdateConfigOptions.RatioConverter.class,
      description = "Failure rate to tolerate during a rollback (default 0)")
  Float maxFailureRatio;

  @Option(
      names = "--rollback-order",
      paramLabel = "ORDER",
      converter = UpdateConfigOptions.OrderConverter.class,
      description = "Rollback order (\"start-first\"|\"stop-first\") (default \"stop-first\")")
  UpdateOrder order;

  /** Applies the given flags to the spec's rollback config; leaves it unset if none is given. */
  void applyTo(ServiceSpec.Builder spec) {
    if (UpdateConfigOptions.any(parallelism, delay, failureAction, monitor, maxFailureRatio, order)) {
      // A config made now starts from Docker's flag default, parallelism 1: an unset 0 would
      // mean "all at once" inside a config that is set.
      Long given = parallelism == null && !spec.hasRollbackConfig() ? Long.valueOf(1) : parallelism;
      UpdateConfigOptions.apply(
          spec.getRollbackConfigBuilder(), given, delay, failureAction, monitor, maxFailureRatio, order);
    }
  }
}
