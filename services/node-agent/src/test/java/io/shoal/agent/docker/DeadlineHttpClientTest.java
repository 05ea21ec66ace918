package io.shoal.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.agent.docker.DeadlineHttpClient.Kind;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeadlineHttpClientTest {
  private static final DockerTimeouts TIMEOUTS = new DockerTimeouts(Duration.ofSeconds(60), Duration.ofMinutes(10));

  @ParameterizedTest
  @CsvSource({
      "GET,  /v1.41/containers/abc/json,                    CALL,   60",
      "POST, /v1.41/containers/create?name=web.1.x,         CALL,   60",
      "POST, /v1.41/containers/abc/start,                   CALL,   60",
      "DELETE, /v1.41/containers/abc?force=true&v=true,     CALL,   60",
      "POST, /v1.41/containers/abc/stop?t=30,               STOP,   90",
      "POST, /v1.41/containers/abc/stop,                    STOP,   70",
      "POST, /v1.41/containers/stop/start,                  CALL,   60",
      "POST, /v1.41/images/create?fromImage=x%2Fy&tag=1,    PULL,   600",
      "GET,  /v1.41/events?filters=%7B%7D,                  EVENTS, 60",
      "GET,  /v1.41/info,                                   CALL,   60",
      "GET,  /v1.41/containers/abc/logs?follow=1&stdout=1,  LOGS,   60",
      "GET,  /v1.41/containers/abc/logs,                    LOGS,   60",
      "GET,  /v1.41/containers/logs/json,                   CALL,   60",
  })
  void eachRequestGetsTheDeadlineOfItsKind(String method, String path, Kind kind, long seconds) {
    assertThat(Kind.of(method, path)).isEqualTo(kind);
    assertThat(kind.limit(path, TIMEOUTS)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest
  @CsvSource({"500, 500ms", "3000, 3s", "60000, 1m", "90000, 1m30s", "600000, 10m"})
  void durationsAreWrittenAsTheFlagsTakeThem(long millis, String text) {
    assertThat(DockerTimeouts.format(Duration.ofMillis(millis))).isEqualTo(text);
  }
}
