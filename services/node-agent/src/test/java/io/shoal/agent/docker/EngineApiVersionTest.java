package io.shoal.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineApiVersionTest {
  @ParameterizedTest(name = "engine {0} ({1}..{2}) -> {3}")
  @CsvSource({
      // release,  MinAPIVersion, ApiVersion, negotiated
      "20.10.24,   1.12,          1.41,       1.41",  // Debian 12's engine: its newest
      "23.0.6,     1.12,          1.42,       1.42",
      "24.0.7,     1.12,          1.43,       1.43",
      "25.0.5,     1.24,          1.44,       1.44",
      "27.3.1,     1.24,          1.47,       1.44",  // newer than docker-java: Shoal's newest
      "29.1.2,     1.44,          1.52,       1.44",  // refuses clients below 1.44
      "20.10.0,    '',            1.41,       1.41",  // no MinAPIVersion given
  })
  void speaksTheHighestVersionBothSupport(String release, String min, String max, String negotiated) {
    assertThat(EngineApiVersion.negotiate("unix:///d.sock", release, max, min).getVersion()).isEqualTo(negotiated);
  }

  @ParameterizedTest
  @CsvSource({
      "19.03.15, 1.12, 1.40, 'the Docker engine at unix:///d.sock (19.03.15) speaks API 1.40 at most; Shoal needs API 1.41 or later (Docker 20.10 or later): upgrade the engine'",
      "35.0.0,   1.45, 1.60, 'the Docker engine at unix:///d.sock (35.0.0) accepts API 1.45 and later, newer than the 1.44 this Shoal speaks: use a Shoal release that supports it, or an older engine'",
      "x,        1.12, '',   'the Docker engine at unix:///d.sock answered GET /version with ApiVersion \"\", not a Docker API version (1.N): is it a Docker engine?'",
      "x,        v2,   1.41, 'the Docker engine at unix:///d.sock answered GET /version with MinAPIVersion \"v2\", not a Docker API version (1.N): is it a Docker engine?'",
  })
  void refusesAnEngineOutsideItsRangeSayingWhy(String release, String min, String max, String message) {
    assertThatThrownBy(() -> EngineApiVersion.negotiate("unix:///d.sock", release, max, min))
        .isInstanceOf(IllegalStateException.class).hasMessage(message);
  }
}
