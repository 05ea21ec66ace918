package io.shoal.cli.service;

import io.shoal.api.v1.UpdateConfig;
import io.shoal.api.v1.UpdateFailureAction;
import io.shoal.api.v1.UpdateOrder;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The values of one group of {@code --update-*} or {@code --rollback-*} flags (picocli can't
 * prefix a mixin's names, so {@link UpdateOptions} and {@link RollbackOptions} declare the flags
 * and share this). Only the flags given change the config; the scheduler applies Swarm's defaults
 * to the rest (parallelism 1, delay 0, pause, monitor 5s, ratio 0, stop-first).
 */
final class UpdateConfigOptions {
  private UpdateConfigOptions() {}

  static void apply(
      UpdateConfig.Builder c,
      Long parallelism,
      Duration delay,
      UpdateFailureAction failureAction,
      Duration monitor,
      Float maxFailureRatio,
      UpdateOrder order) {
    if (parallelism != null) {
      c.setParallelism(parallelism);
    }
    if (delay != null) {
      c.setDelay(Flags.duration(delay));
    }
    if (failureAction != null) {
      c.setFailureAction(failureAction);
    }
    if (monitor != null) {
      c.setMonitor(Flags.duration(monitor));
    }
    if (maxFailureRatio != null) {
      c.setMaxFailureRatio(maxFailureRatio);
    }
    if (order != null) {
      c.setOrder(order);
    }
  }

  static boolean any(Object... values) {
    for (Object v : values) {
      if (v != null) {
        return true;
      }
    }
    return false;
  }

  static final class OrderConverter implements ITypeConverter<UpdateOrder> {
    @Override
    public UpdateOrder convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "stop-first" -> UpdateOrder.UPDATE_ORDER_STOP_FIRST;
        case "start-first" -> UpdateOrder.UPDATE_ORDER_START_FIRST;
        default ->
            throw new TypeConversionException(
                "unknown update order \"" + value + "\" (use stop-first or start-first)");
      };
    }
  }

  static final class FailureActionConverter implements ITypeConverter<UpdateFailureAction> {
    @Override
    public UpdateFailureAction convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "pause" -> UpdateFailureAction.UPDATE_FAILURE_ACTION_PAUSE;
        case "continue" -> UpdateFailureAction.UPDATE_FAILURE_ACTION_CONTINUE;
        case "rollback" -> UpdateFailureAction.UPDATE_FAILURE_ACTION_ROLLBACK;
        default ->
            throw new TypeConversionException(
                "unknown failure action \"" + value + "\" (use pause, continue or rollback)");
      };
    }
  }

  /** {@code --rollback-failure-action}: a rollback can't roll back. */
  static final class RollbackFailureActionConverter implements ITypeConverter<UpdateFailureAction> {
    @Override
    public UpdateFailureAction convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "pause" -> UpdateFailureAction.UPDATE_FAILURE_ACTION_PAUSE;
        case "continue" -> UpdateFailureAction.UPDATE_FAILURE_ACTION_CONTINUE;
        default ->
            throw new TypeConversionException(
                "unknown rollback failure action \"" + value + "\" (use pause or continue)");
      };
    }
  }

  /** A ratio between 0 and 1. */
  static final class RatioConverter implements ITypeConverter<Float> {
    @Override
    public Float convert(String value) {
      float f;
      try {
        f = Float.parseFloat(value);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("\"" + value + "\" is not a number between 0 and 1");
      }
      if (!(f >= 0 && f <= 1)) {
        throw new TypeConversionException("\"" + value + "\" is not a number between 0 and 1");
      }
      return f;
    }
  }

}
