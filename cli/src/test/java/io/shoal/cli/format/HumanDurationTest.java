package io.shoal.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {

  /** go-units' thresholds, each on both sides. */
  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "PT0S, Less than a second",
    "PT0.999S, Less than a second",
    "PT-5S, Less than a second",
    "PT1S, 1 second",
    "PT1.9S, 1 second",
    "PT2S, 2 seconds",
    "PT59.9S, 59 seconds",
    "PT60S, About a minute",
    "PT119S, About a minute",
    "PT120S, 2 minutes",
    "PT59M59S, 59 minutes",
    "PT60M, About an hour",
    "PT89M, About an hour",
    "PT90M, 2 hours",
    "PT47H, 47 hours",
    "PT47H31M, 2 days",
    "PT48H, 2 days",
    "P13DT23H, 13 days",
    "P14D, 2 weeks",
    "P59D, 8 weeks",
    "P60D, 2 months",
    "P729D, 24 months",
    "P730D, 2 years",
    "P1200D, 3 years",
  })
  void matchesGoUnits(Duration d, String expected) {
    assertThat(HumanDuration.of(d)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "PT2S, 2 seconds ago",
    "PT61S, About a minute ago",
    "PT0.2S, Less than a second ago",
  })
  void saysAgo(Duration d, String expected) {
    assertThat(HumanDuration.ago(d)).isEqualTo(expected);
  }
}
