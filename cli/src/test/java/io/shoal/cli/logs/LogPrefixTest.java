package io.shoal.cli.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.shoal.api.v1.LogLine;
import io.shoal.api.v1.ServiceLogsResponse;
import io.shoal.cli.CliException;
import org.junit.jupiter.api.Test;

class LogPrefixTest {
  private static final ServiceLogsResponse WEB_1 = ServiceLogsResponse.newBuilder()
      .setServiceName("web").setSlot(1).setTaskId("abcdefghijklmnopqrstuvwxy").setNodeId("n0de1d")
      .setNodeHostname("h1").build();
  private static final LogLine HELLO = LogLine.newBuilder().setLine(ByteString.copyFromUtf8("hello"))
      .setTime(Timestamp.newBuilder().setSeconds(1796464801L).setNanos(120_000_000)).build();

  private static LogPrefix prefix(boolean timestamps, boolean taskIds, boolean truncate, boolean raw) {
    return new LogPrefix(new LogPrefix.Options(timestamps, taskIds, truncate, raw));
  }

  @Test
  void dockersPrefixNamesTheTaskItsShortIdAndItsNode() {
    assertThat(prefix(false, true, true, false).line(WEB_1, HELLO)).isEqualTo("web.1.abcdefghijkl@h1 | hello");
  }

  @Test
  void noTaskIdsDropsTheIdAndNoTruncKeepsItWhole() {
    assertThat(prefix(false, false, true, false).line(WEB_1, HELLO)).isEqualTo("web.1@h1 | hello");
    assertThat(prefix(false, true, false, false).line(WEB_1, HELLO))
        .isEqualTo("web.1.abcdefghijklmnopqrstuvwxy@h1 | hello");
  }

  @Test
  void rawPrintsTheLineAloneAndTimestampsComeFirstWithNineDigits() {
    assertThat(prefix(false, true, true, true).line(WEB_1, HELLO)).isEqualTo("hello");
    assertThat(prefix(true, true, true, true).line(WEB_1, HELLO)).isEqualTo("2026-12-05T10:00:01.120000000Z hello");
  }

  @Test
  void aGlobalTaskIsNamedByItsNodeAndAnUnknownHostnameByTheNodeId() {
    ServiceLogsResponse global = WEB_1.toBuilder().setSlot(0).setNodeHostname("").build();
    assertThat(prefix(false, false, true, false).prefix(global)).isEqualTo("web.n0de1d@n0de1d");
  }

  @Test
  void prefixesArePaddedToTheLongestSeen() {
    LogPrefix p = prefix(false, false, true, false);
    ServiceLogsResponse web10 = WEB_1.toBuilder().setSlot(10).setNodeHostname("host2").build();
    assertThat(p.line(web10, HELLO)).isEqualTo("web.10@host2 | hello");
    assertThat(p.line(WEB_1, HELLO)).isEqualTo("web.1@h1     | hello");
  }

  @Test
  void tailTakesAllOrANumberOfLines() {
    assertThat(TailOption.parse("all")).isEqualTo(-1);
    assertThat(TailOption.parse("0")).isZero();
    assertThat(TailOption.parse("25")).isEqualTo(25);
    assertThatThrownBy(() -> TailOption.parse("-3")).isInstanceOf(CliException.class).hasMessageContaining("\"-3\"");
    assertThatThrownBy(() -> TailOption.parse("ten")).isInstanceOf(CliException.class)
        .hasMessage("--tail: invalid value \"ten\" (a number of lines, or \"all\")");
  }
}
