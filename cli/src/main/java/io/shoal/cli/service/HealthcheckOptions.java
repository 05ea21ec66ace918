package io.shoal.cli.service;

import io.shoal.api.v1.HealthConfig;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.Converters;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Docker's healthcheck flags, the same on create and update: only the flags given change the
 * check. Without any, the image's HEALTHCHECK applies; {@code --no-healthcheck} turns even that
 * off, and a {@code --health-*} flag on update turns a disabled check back on.
 */
public final class HealthcheckOptions {
  private static final List<String> NONE = List.of("NONE");

  @Option(names = "--health-cmd", paramLabel = "COMMAND",
      description = "Command to run to check health (run by the image's shell; \"\" on update: the image's)")
  String command;

  @Option(names = "--health-interval", paramLabel = "DURATION", converter = Converters.GoDurationConverter.class,
      description = "Time between running the check (ms|s|m|h) (default 30s)")
  Duration interval;

  @Option(names = "--health-timeout", paramLabel = "DURATION", converter = Converters.GoDurationConverter.class,
      description = "Maximum time to allow one check to run (ms|s|m|h) (default 30s)")
  Duration timeout;

  @Option(names = "--health-start-period", paramLabel = "DURATION", converter = Converters.GoDurationConverter.class,
      description = "Start period for the container to initialize before counting retries towards unstable (ms|s|m|h) (default 0s)")
  Duration startPeriod;

  @Option(names = "--health-retries", paramLabel = "N",
      description = "Consecutive failures needed to report unhealthy (default 3)")
  Integer retries;

  @Option(names = "--no-healthcheck", description = "Disable any container-specified HEALTHCHECK")
  boolean disabled;

  private boolean anyHealthFlag() {
    return command != null || interval != null || timeout != null || startPeriod != null || retries != null;
  }

  /** Applies the given flags to {@code spec}'s healthcheck; leaves it as it is if none is given. */
  void applyTo(ServiceSpec.Builder spec, CommandLine cmd) {
    if (disabled) {
      if (anyHealthFlag()) {
        throw Flags.invalid(cmd, "--no-healthcheck", "conflicts with --health-* options");
      }
      spec.getContainerBuilder().setHealthcheck(HealthConfig.newBuilder().addAllTest(NONE));
      return;
    }
    if (!anyHealthFlag()) {
      return;
    }
    if (retries != null && retries < 0) {
      throw Flags.invalid(cmd, "--health-retries", "must not be negative");
    }
    HealthConfig.Builder h = spec.getContainerBuilder().getHealthcheckBuilder();
    if (h.getTestList().equals(NONE)) {
      h.clearTest();
    }
    if (command != null) {
      h.clearTest();
      if (!command.isEmpty()) {
        h.addTest("CMD-SHELL").addTest(command);
      }
    }
    if (interval != null) {
      h.setInterval(Flags.duration(interval));
    }
    if (timeout != null) {
      h.setTimeout(Flags.duration(timeout));
    }
    if (startPeriod != null) {
      h.setStartPeriod(Flags.duration(startPeriod));
    }
    if (retries != null) {
      h.setRetries(retries);
    }
  }
}
