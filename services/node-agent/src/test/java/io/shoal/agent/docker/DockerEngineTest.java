package io.shoal.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.NotFoundException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DockerEngineTest {
  @Test
  void gracePeriodsRoundUpToWholeSeconds() {
    assertThat(DockerEngine.seconds(Duration.ZERO)).isZero();
    assertThat(DockerEngine.seconds(Duration.ofMillis(300))).isEqualTo(1);
    assertThat(DockerEngine.seconds(Duration.ofSeconds(10))).isEqualTo(10);
    assertThat(DockerEngine.seconds(Duration.ofMillis(10_001))).isEqualTo(11);
  }

  @Test
  void errorsCarryTheEnginesOwnMessage() {
    NotFoundException e = new NotFoundException(
        "Status 404: {\"message\":\"manifest for 127.0.0.1:5000/x:1 not found: manifest unknown: \\\"x\\\"\"}\n");
    assertThat(DockerEngine.engineMessage(e))
        .isEqualTo("manifest for 127.0.0.1:5000/x:1 not found: manifest unknown: \"x\"");
  }

  @org.junit.jupiter.api.Test
  void dockersStartedAtIsReadWithNanosecondsAndItsZeroTimeIsNever() {
    org.assertj.core.api.Assertions.assertThat(DockerEngine.startedAt("2026-12-05T00:36:03.123456789Z"))
        .hasValue(java.time.Instant.parse("2026-12-05T00:36:03.123456789Z"));
    org.assertj.core.api.Assertions.assertThat(DockerEngine.startedAt("0001-01-01T00:00:00Z")).isEmpty();
    org.assertj.core.api.Assertions.assertThat(DockerEngine.startedAt("")).isEmpty();
  }
}
