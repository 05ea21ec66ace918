package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.HealthConfig;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.common.errors.InvalidArgumentException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HealthcheckValidatorTest {
  private static ServiceSpec spec(HealthConfig.Builder h) {
    return ServiceSpec.newBuilder().setName("web")
        .setContainer(ContainerSpec.newBuilder().setImage("127.0.0.1:5000/web:1").setHealthcheck(h)).build();
  }

  private static HealthConfig.Builder test(String... words) {
    return HealthConfig.newBuilder().addAllTest(java.util.List.of(words));
  }

  private static Duration nanos(long n) {
    return Duration.newBuilder().setSeconds(n / 1_000_000_000L).setNanos((int) (n % 1_000_000_000L)).build();
  }

  static Stream<HealthConfig.Builder> good() {
    return Stream.of(
        test("CMD-SHELL", "curl -f http://localhost/ || exit 1"),
        test("CMD", "/bin/check", "--quick"),
        test("NONE"),
        // The image's test, with durations of our own.
        HealthConfig.newBuilder().setInterval(nanos(1_000_000)).setRetries(5),
        test("CMD-SHELL", "true").setInterval(nanos(0)).setTimeout(nanos(30_000_000_000L))
            .setStartPeriod(nanos(5_000_000_000L)).setRetries(100));
  }

  @ParameterizedTest
  @MethodSource("good")
  void acceptsWhatDockerAccepts(HealthConfig.Builder h) {
    ServiceSpec ok = spec(h);
    assertThat(SpecValidator.normalize(ok).getContainer().getHealthcheck()).isEqualTo(ok.getContainer().getHealthcheck());
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of(test("RUN", "x"), "ContainerSpec.healthcheck.test", "must be NONE, CMD or CMD-SHELL"),
        Arguments.of(test("CMD"), "ContainerSpec.healthcheck.test", "CMD needs a program"),
        Arguments.of(test("CMD-SHELL", "a", "b"), "ContainerSpec.healthcheck.test", "exactly one command line"),
        Arguments.of(test("NONE", "x"), "ContainerSpec.healthcheck.test", "NONE takes no command"),
        Arguments.of(test("CMD-SHELL", "true").setInterval(nanos(999_999)),
            "ContainerSpec.healthcheck.interval", "at least 1ms"),
        Arguments.of(test("CMD-SHELL", "true").setTimeout(Duration.newBuilder().setSeconds(-1)),
            "ContainerSpec.healthcheck.timeout", "must not be negative"),
        Arguments.of(test("CMD-SHELL", "true").setStartPeriod(nanos(10)),
            "ContainerSpec.healthcheck.start_period", "at least 1ms"),
        Arguments.of(test("CMD-SHELL", "true").setRetries(101), "ContainerSpec.healthcheck.retries", "more than 100"),
        Arguments.of(test("NONE").setRetries(3), "ContainerSpec.healthcheck", "conflicts with --health-*"));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("bad")
  void refusesNamingTheFieldAndTheReason(HealthConfig.Builder h, String field, String reason) {
    assertThatThrownBy(() -> SpecValidator.normalize(spec(h)))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.reason()).contains(reason);
        });
  }
}
