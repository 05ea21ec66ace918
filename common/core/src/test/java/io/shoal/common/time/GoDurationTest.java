package io.shoal.common.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "10s, PT10S",
    "1m30s, PT1M30S",
    "500ms, PT0.5S",
    "1h, PT1H",
    "1.5h, PT1H30M",
    "2h45m, PT2H45M",
    "1h2m3s4ms, PT1H2M3.004S",
    "300us, PT0.0003S",
    "300µs, PT0.0003S",
    "100ns, PT0.0000001S",
    ".5s, PT0.5S",
    "0, PT0S",
    "0s, PT0S",
    "+5s, PT5S",
    "-5s, PT-5S",
  })
  void parsesGoDurations(String text, Duration expected) {
    assertThat(GoDuration.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @CsvSource({
    "'', invalid duration \"\"",
    "10, invalid duration \"10\": missing unit",
    "abc, invalid duration \"abc\"",
    "5x, invalid duration \"5x\": unknown unit \"x\"",
    "5d, unknown unit \"d\"",
    "s, invalid duration \"s\"",
    "1.5.5s, invalid duration \"1.5.5s\"",
    "-, invalid duration \"-\"",
    "1s5, missing unit",
  })
  void rejectsBadDurations(String text, String message) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "PT0S, 0s",
    "PT10S, 10s",
    "PT1M30S, 1m30s",
    "PT5M, 5m0s",
    "PT1H, 1h0m0s",
    "PT1H30M5S, 1h30m5s",
    "PT1.5S, 1.5s",
    "PT0.5S, 500ms",
    "PT0.0015S, 1.5ms",
    "PT0.0000001S, 100ns",
    "PT-2S, -2s",
  })
  void formatsLikeGo(Duration d, String expected) {
    assertThat(GoDuration.format(d)).isEqualTo(expected);
  }
}
