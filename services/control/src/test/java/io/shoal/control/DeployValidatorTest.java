package io.shoal.control;

import io.shoal.control.limits.SpecLimits;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import io.shoal.api.v1.Placement;
import io.shoal.api.v1.PlacementPreference;
import io.shoal.api.v1.ResourceRequirements;
import io.shoal.api.v1.Resources;
import io.shoal.api.v1.RestartPolicy;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateConfig;
import io.shoal.api.v1.UpdateFailureAction;
import io.shoal.common.errors.InvalidArgumentException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeployValidatorTest {
  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(ServiceSpec.newBuilder().setPlacement(Placement.newBuilder().addConstraints("node.labels.zone=east")),
            "Placement.constraints[0]", "expected one operator from ==, !="),
        Arguments.of(ServiceSpec.newBuilder().setPlacement(Placement.newBuilder().addConstraints("node.hostname==a")
            .addConstraints("node.colour==red")), "Placement.constraints[1]", "unknown key \"node.colour\""),
        Arguments.of(ServiceSpec.newBuilder().setPlacement(Placement.newBuilder()
            .addPreferences(PlacementPreference.newBuilder().setSpread("zone"))),
            "Placement.preferences[0].spread", "must be node.labels.KEY"),
        Arguments.of(ServiceSpec.newBuilder().setResources(ResourceRequirements.newBuilder()
            .setReservations(Resources.newBuilder().setNanoCpus(-1))), "ResourceRequirements.reservations", "negative"),
        Arguments.of(ServiceSpec.newBuilder().setUpdateConfig(UpdateConfig.newBuilder().setMaxFailureRatio(2)),
            "UpdateConfig.max_failure_ratio", "not between 0 and 1"),
        Arguments.of(ServiceSpec.newBuilder().setRollbackConfig(UpdateConfig.newBuilder()
            .setFailureAction(UpdateFailureAction.UPDATE_FAILURE_ACTION_ROLLBACK)),
            "RollbackConfig.failure_action", "only pause or continue"),
        // Durations: at most ten years, nanos 0..999,999,999, never negative.
        Arguments.of(ServiceSpec.newBuilder().setUpdateConfig(UpdateConfig.newBuilder().setDelay(secs(100_000_000_000_000_000L))),
            "UpdateConfig.delay", "100000000000000000s exceeds the limit of 3650 days (315360000s)"),
        Arguments.of(ServiceSpec.newBuilder().setUpdateConfig(UpdateConfig.newBuilder().setMonitor(secs(MAX + 1))),
            "UpdateConfig.monitor", "exceeds the limit of 3650 days"),
        Arguments.of(ServiceSpec.newBuilder().setUpdateConfig(UpdateConfig.newBuilder().setMonitor(Duration.newBuilder().setSeconds(MAX).setNanos(1))),
            "UpdateConfig.monitor", "exceeds the limit of 3650 days"),
        Arguments.of(ServiceSpec.newBuilder().setRollbackConfig(UpdateConfig.newBuilder().setDelay(secs(Long.MAX_VALUE))),
            "RollbackConfig.delay", "exceeds the limit"),
        Arguments.of(ServiceSpec.newBuilder().setRollbackConfig(UpdateConfig.newBuilder().setMonitor(secs(MAX + 1))),
            "RollbackConfig.monitor", "exceeds the limit"),
        Arguments.of(ServiceSpec.newBuilder().setRestartPolicy(RestartPolicy.newBuilder().setDelay(secs(MAX + 1))),
            "RestartPolicy.delay", "exceeds the limit"),
        Arguments.of(ServiceSpec.newBuilder().setRestartPolicy(RestartPolicy.newBuilder().setWindow(secs(MAX + 1))),
            "RestartPolicy.window", "exceeds the limit"),
        Arguments.of(ServiceSpec.newBuilder().setUpdateConfig(UpdateConfig.newBuilder().setDelay(Duration.newBuilder().setNanos(1_000_000_000))),
            "UpdateConfig.delay.nanos", "outside 0-999999999"),
        Arguments.of(ServiceSpec.newBuilder().setRestartPolicy(RestartPolicy.newBuilder().setWindow(Duration.newBuilder().setSeconds(1).setNanos(-1))),
            "RestartPolicy.window.nanos", "outside 0-999999999"),
        Arguments.of(ServiceSpec.newBuilder().setRestartPolicy(RestartPolicy.newBuilder().setDelay(secs(-1))),
            "RestartPolicy.delay", "must not be negative"),
        // uint64 fields, compared unsigned.
        Arguments.of(ServiceSpec.newBuilder().setUpdateConfig(UpdateConfig.newBuilder().setParallelism(1L << 32)),
            "UpdateConfig.parallelism", "4294967296 exceeds the limit of 10000"),
        Arguments.of(ServiceSpec.newBuilder().setRollbackConfig(UpdateConfig.newBuilder().setParallelism(-1L)),
            "RollbackConfig.parallelism", "18446744073709551615 exceeds the limit of 10000"),
        Arguments.of(ServiceSpec.newBuilder().setRestartPolicy(RestartPolicy.newBuilder().setMaxAttempts(-1L)),
            "RestartPolicy.max_attempts", "18446744073709551615 exceeds the limit of 100"),
        Arguments.of(ServiceSpec.newBuilder().setRestartPolicy(RestartPolicy.newBuilder().setMaxAttempts(101)),
            "RestartPolicy.max_attempts", "101 exceeds the limit of 100"),
        Arguments.of(ServiceSpec.newBuilder().setPlacement(Placement.newBuilder().setMaxReplicas(Long.MIN_VALUE)),
            "Placement.max_replicas", "9223372036854775808 exceeds the limit of 10000"),
        // Unknown enum numbers.
        Arguments.of(ServiceSpec.newBuilder().setRestartPolicy(RestartPolicy.newBuilder().setConditionValue(99)),
            "RestartPolicy.condition", "unknown restart condition 99"),
        Arguments.of(ServiceSpec.newBuilder().setUpdateConfig(UpdateConfig.newBuilder().setFailureActionValue(99)),
            "UpdateConfig.failure_action", "unknown failure action 99"),
        Arguments.of(ServiceSpec.newBuilder().setUpdateConfig(UpdateConfig.newBuilder().setOrderValue(99)),
            "UpdateConfig.order", "unknown order 99"),
        // Counts and lengths of the placement.
        Arguments.of(ServiceSpec.newBuilder().setPlacement(Placement.newBuilder()
            .addAllConstraints(java.util.Collections.nCopies(65, "node.role==worker"))),
            "Placement.constraints", "65 entries; the limit is 64"),
        Arguments.of(ServiceSpec.newBuilder().setPlacement(Placement.newBuilder()
            .addConstraints("node.labels.a==" + "v".repeat(8192))),
            "Placement.constraints[0]", "the limit is 8192"),
        Arguments.of(ServiceSpec.newBuilder().setPlacement(Placement.newBuilder().addAllPreferences(java.util.Collections.nCopies(17,
            PlacementPreference.newBuilder().setSpread("node.labels.zone").build()))),
            "Placement.preferences", "17 entries; the limit is 16"),
        Arguments.of(ServiceSpec.newBuilder().setPlacement(Placement.newBuilder()
            .addPreferences(PlacementPreference.newBuilder().setSpread("node.labels." + "k".repeat(257)))),
            "Placement.preferences[0].spread", "the limit is 268"));
  }

  private static final long MAX = SpecLimits.MAX_DURATION.getSeconds();

  private static Duration secs(long seconds) {
    return Duration.newBuilder().setSeconds(seconds).build();
  }

  @Test
  void acceptsEveryDurationAndCountAtItsLimit() {
    UpdateConfig config = UpdateConfig.newBuilder().setParallelism(SpecLimits.MAX_REPLICAS)
        .setDelay(secs(MAX)).setMonitor(Duration.newBuilder().setSeconds(MAX - 1).setNanos(999_999_999)).build();
    assertThatCode(() -> DeployValidator.check(ServiceSpec.newBuilder()
        .setUpdateConfig(config).setRollbackConfig(config)
        .setRestartPolicy(RestartPolicy.newBuilder().setDelay(secs(MAX)).setWindow(secs(MAX))
            .setMaxAttempts(SpecLimits.MAX_RESTART_ATTEMPTS))
        .setPlacement(Placement.newBuilder().setMaxReplicas(SpecLimits.MAX_REPLICAS)
            .addAllConstraints(java.util.Collections.nCopies(64, "node.labels.a==" + "v".repeat(8192 - 15))))
        .build())).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void namesTheBadField(ServiceSpec.Builder spec, String field, String why) {
    assertThatThrownBy(() -> DeployValidator.check(spec.build()))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> {
          org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo(field);
          org.assertj.core.api.Assertions.assertThat(e.reason()).contains(why);
        });
  }

  @Test
  void acceptsAFullSpec() {
    assertThatCode(() -> DeployValidator.check(ServiceSpec.newBuilder()
        .setPlacement(Placement.newBuilder().addConstraints("node.labels.zone==east").addConstraints("node.role != manager")
            .addPreferences(PlacementPreference.newBuilder().setSpread("node.labels.rack")).setMaxReplicas(2))
        .setUpdateConfig(UpdateConfig.newBuilder().setMaxFailureRatio(0.5f)).build())).doesNotThrowAnyException();
  }
}
