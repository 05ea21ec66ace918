package io.shoal.cli.service;

import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateFailureAction;
import io.shoal.api.v1.UpdateOrder;
import io.shoal.cli.Converters;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --update-*}: how an update rolls through the tasks, the same flags on create and update. */
public final class UpdateOptions {
  @Option(
      names = "--update-parallelism",
      paramLabel = "N",
      converter = Converters.Replicas.class,
      description = "Maximum number of tasks updated simultaneously (0 to update all at once) (default 1)")
  Long parallelism;

  @Option(
      names = "--update-delay",
      paramLabel = "DURATION",
      converter = Converters.GoDurationConverter.class,
      description = "Delay between task updates (ns|us|ms|s|m|h) (default 0s)")
  Duration delay;

  @Option(
      names = "--update-failure-action",
      paramLabel = "ACTION",
      converter = UpdateConfigOptions.FailureActionConverter.class,
      description = "Action on update failure (\"pause\", \"continue\", \"rollback\") (default \"pause\")")
  UpdateFailureAction failureAction;

  @Option(
      names = "--update-monitor",
      paramLabel = "DURATION",
      converter = Converters.GoDurationConverter.class,
      description = "Duration after each task update to monitor for failure (ns|us|ms|s|m|h) (default 5s)")
  Duration monitor;

  @Option(
      names = "--update-max-failure-ratio",
      paramLabel = "RATIO",
      converter = UpdateConfigOptions.RatioConverter.class,
      description = "Failure rate to tolerate during an update (default 0)")
  Float maxFailureRatio;

  @Option(
      names = "--update-order",
      paramLabel = "ORDER",
      converter = UpdateConfigOptions.OrderConverter.class,
      description = "Update order (\"start-first\"|\"stop-first\") (default \"stop-first\")")
  UpdateOrder order;

  /** Applies the given flags to the spec's update config; leaves it unset if none is given. */
  void applyTo(ServiceSpec.Builder spec) {
    if (UpdateConfigOptions.any(parallelism, delay, failureAction, monitor, maxFailureRatio, order)) {
      // A config made now starts from Docker's flag default, parallelism 1: an unset 0 would
      // mean "all at once" inside a config that is set.
      Long given = parallelism == null && !spec.hasUpdateConfig() ? Long.valueOf(1) : parallelism;
      UpdateConfigOptions.apply(
          spec.getUpdateConfigBuilder(), given, delay, failureAction, monitor, maxFailureRatio, order);
    }
  }
}
