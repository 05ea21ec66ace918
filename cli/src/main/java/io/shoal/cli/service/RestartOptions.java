package io.shoal.cli.service;

import io.shoal.api.v1.RestartCondition;
import io.shoal.api.v1.RestartPolicy;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.Converters;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --restart-*}, the same on create and update: only the flags given change the policy,
 * and the scheduler applies Swarm's defaults to the rest (any, 5s, unlimited, forever).
 */
public final class RestartOptions {
  @Option(
      names = "--restart-condition",
      paramLabel = "CONDITION",
      converter = ConditionConverter.class,
      description = "Restart when condition is met (\"none\", \"on-failure\", \"any\") (default \"any\")")
  RestartCondition condition;

  @Option(
      names = "--restart-delay",
      paramLabel = "DURATION",
      converter = Converters.GoDurationConverter.class,
      description = "Delay between restart attempts (ns|us|ms|s|m|h) (default 5s)")
  Duration delay;

  @Option(
      names = "--restart-max-attempts",
      paramLabel = "N",
      converter = Converters.Replicas.class,
      description = "Maximum number of restarts before giving up (default: unlimited)")
  Long maxAttempts;

  @Option(
      names = "--restart-window",
      paramLabel = "DURATION",
      converter = Converters.GoDurationConverter.class,
      description = "Window used to evaluate the restart policy (ns|us|ms|s|m|h)")
  Duration window;

  /** Applies the given flags to {@code spec}'s restart policy; leaves it unset if none is given. */
  void applyTo(ServiceSpec.Builder spec) {
    if (condition == null && delay == null && maxAttempts == null && window == null) {
      return;
    }
    RestartPolicy.Builder p = spec.getRestartPolicyBuilder();
    if (condition != null) {
      p.setCondition(condition);
    }
    if (delay != null) {
      p.setDelay(Flags.duration(delay));
    }
    if (maxAttempts != null) {
      p.setMaxAttempts(maxAttempts);
    }
    if (window != null) {
      p.setWindow(Flags.duration(window));
    }
  }

  static final class ConditionConverter implements ITypeConverter<RestartCondition> {
    @Override
    public RestartCondition convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "none" -> RestartCondition.RESTART_CONDITION_NONE;
        case "on-failure" -> RestartCondition.RESTART_CONDITION_ON_FAILURE;
        case "any" -> RestartCondition.RESTART_CONDITION_ANY;
        default ->
            throw new TypeConversionException(
                "unknown restart condition \"" + value + "\" (use none, on-failure or any)");
      };
    }
  }
}
