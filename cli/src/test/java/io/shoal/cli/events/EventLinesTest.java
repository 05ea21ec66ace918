package io.shoal.cli.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.Event;
import io.shoal.cli.CliException;
import io.shoal.common.time.Timestamps;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventLinesTest {
  private static final Event TASK = Event.newBuilder().setRevision(42).setType("task").setAction("update")
      .setId("t1").setName("web.1").putAttributes("state.old", "starting").putAttributes("state.new", "running")
      .putAttributes("name", "web.1")
      .setTime(Timestamps.toTimestamp(Instant.parse("2026-12-05T03:40:00.123456789Z"))).build();

  @Test
  void aLineIsDockersTimeTypeActionIdAndSortedAttributes() {
    assertThat(EventLines.line(TASK)).isEqualTo(
        "2026-12-05T03:40:00.123456789Z task update t1 (name=web.1, state.new=running, state.old=starting)");
  }

  @Test
  void formatSeesDockersShapeAndTheRevision() {
    Map<String, Object> shape = EventLines.dockerShape(TASK);
    assertThat(shape).containsEntry("Type", "task").containsEntry("Action", "update").containsEntry("scope", "swarm")
        .containsEntry("time", 1796442000L).containsEntry("timeNano", 1796442000123456789L)
        .containsEntry("Revision", 42L);
    assertThat(shape.get("Actor")).isEqualTo(Map.of("ID", "t1",
        "Attributes", Map.of("name", "web.1", "state.new", "running", "state.old", "starting")));
  }

  @ParameterizedTest
  @CsvSource({
      "2026-12-05T03:00:00Z,       2026-12-05T03:00:00Z",
      "2026-12-05T04:00:00+01:00,  2026-12-05T03:00:00Z",
      "1796439600,                 2026-12-05T03:00:00Z",
      "1796439600.5,               2026-12-05T03:00:00.500Z",
      "10m,                        2026-12-05T03:30:00Z",
      "1h30m,                      2026-12-05T02:10:00Z",
      "0,                          1970-01-01T00:00:00Z",
  })
  void sinceTakesDockersTimes(String value, String expected) {
    assertThat(EventTimes.parse("--since", value, Instant.parse("2026-12-05T03:40:00Z")))
        .isEqualTo(Instant.parse(expected));
  }

  @Test
  void aBadTimeNamesTheFlagAndTheForms() {
    assertThatThrownBy(() -> EventTimes.parse("--since", "yesterday", Instant.EPOCH)).isInstanceOf(CliException.class)
        .hasMessage("--since: invalid time \"yesterday\" (RFC 3339 like 2026-12-05T03:00:00Z, Unix seconds, or a"
            + " duration before now like 10m)");
  }
}
