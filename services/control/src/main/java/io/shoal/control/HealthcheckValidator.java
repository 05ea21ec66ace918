package io.shoal.control;

import com.google.protobuf.Duration;
import io.shoal.api.v1.HealthConfig;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.control.limits.SpecLimits;
import java.util.List;

/**
 * Checks a ContainerSpec's healthcheck as dockerd would at container create (its
 * {@code validateHealthCheck}): a test Docker can run, and durations of 0 (Docker's default) or
 * at least 1ms.
 */
final class HealthcheckValidator {
  private static final String FIELD = "ContainerSpec.healthcheck";
  private static final long MIN_NANOS = 1_000_000;

  private HealthcheckValidator() {}

  static void check(HealthConfig h) {
    test(h.getTestList());
    duration(FIELD + ".interval", h.getInterval());
    duration(FIELD + ".timeout", h.getTimeout());
    duration(FIELD + ".start_period", h.getStartPeriod());
    if (h.getRetries() > SpecLimits.MAX_HEALTH_RETRIES) {
      throw new InvalidArgumentException(FIELD + ".retries",
          h.getRetries() + " is more than " + SpecLimits.MAX_HEALTH_RETRIES);
    }
    boolean disabled = h.getTestCount() == 1 && h.getTest(0).equals("NONE");
    if (disabled && (h.hasInterval() || h.hasTimeout() || h.hasStartPeriod() || h.getRetries() > 0)) {
      throw new InvalidArgumentException(FIELD,
          "--no-healthcheck conflicts with --health-* options (a disabled check has no interval, timeout or retries)");
    }
  }

  private static void test(List<String> test) {
    SpecLimits.count(FIELD + ".test", test.size(), SpecLimits.MAX_HEALTH_TEST_WORDS);
    for (int i = 0; i < test.size(); i++) {
      SpecLimits.length(FIELD + ".test[" + i + "]", test.get(i), SpecLimits.MAX_ARG);
    }
    if (test.isEmpty()) {
      return; // the image's own HEALTHCHECK
    }
    switch (test.get(0)) {
      case "NONE" -> {
        if (test.size() != 1) {
          throw new InvalidArgumentException(FIELD + ".test", "NONE takes no command");
        }
      }
      case "CMD" -> {
        if (test.size() < 2 || test.get(1).isBlank()) {
          throw new InvalidArgumentException(FIELD + ".test", "CMD needs a program to run");
        }
      }
      case "CMD-SHELL" -> {
        if (test.size() != 2 || test.get(1).isBlank()) {
          throw new InvalidArgumentException(FIELD + ".test", "CMD-SHELL takes exactly one command line");
        }
      }
      default -> throw new InvalidArgumentException(FIELD + ".test",
          "\"" + test.get(0) + "\" must be NONE, CMD or CMD-SHELL (Docker's forms)");
    }
  }

  private static void duration(String field, Duration d) {
    long nanos = d.getSeconds() * 1_000_000_000L + d.getNanos();
    if (d.getSeconds() < 0 || d.getNanos() < 0) {
      throw new InvalidArgumentException(field, "must not be negative");
    }
    if (nanos != 0 && nanos < MIN_NANOS) {
      throw new InvalidArgumentException(field, "must be 0 (Docker's default) or at least 1ms");
    }
  }
}
