package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.Placement;
import io.shoal.api.v1.PlacementPreference;
import io.shoal.api.v1.ResourceRequirements;
import io.shoal.api.v1.Resources;
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
            "RollbackConfig.failure_action", "only pause or continue"));
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
