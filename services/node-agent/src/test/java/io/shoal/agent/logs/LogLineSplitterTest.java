package io.shoal.agent.logs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.LogLine;
import io.shoal.api.v1.LogStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLineSplitterTest {
  private final LogLineSplitter splitter = new LogLineSplitter();

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static List<String> texts(List<LogLine> lines) {
    return lines.stream().map(l -> l.getLine().toStringUtf8()).toList();
  }

  @Test
  void aFrameOfOneLineGivesTheLineWithItsTime() {
    List<LogLine> lines = splitter.accept(LogStream.LOG_STREAM_STDOUT,
        bytes("2026-12-05T10:00:01.123456789Z hello world\n"));
    assertThat(texts(lines)).containsExactly("hello world");
    assertThat(lines.get(0).getTime().getSeconds()).isEqualTo(1796464801L);
    assertThat(lines.get(0).getTime().getNanos()).isEqualTo(123456789);
    assertThat(lines.get(0).getStream()).isEqualTo(LogStream.LOG_STREAM_STDOUT);
  }

  @Test
  void aLineSplitOverFramesWaitsForItsEndAndDropsTheSecondTime() {
    assertThat(splitter.accept(LogStream.LOG_STREAM_STDOUT, bytes("2026-12-05T10:00:01Z part one "))).isEmpty();
    List<LogLine> lines = splitter.accept(LogStream.LOG_STREAM_STDOUT,
        bytes("2026-12-05T10:00:02Z part two\n2026"));
    assertThat(texts(lines)).containsExactly("part one part two");
    assertThat(lines.get(0).getTime().getSeconds()).isEqualTo(1796464801L);
    assertThat(texts(splitter.flush())).containsExactly("2026");
  }

  @Test
  void streamsKeepTheirOwnPartialLines() {
    splitter.accept(LogStream.LOG_STREAM_STDOUT, bytes("2026-12-05T10:00:01Z out"));
    List<LogLine> err = splitter.accept(LogStream.LOG_STREAM_STDERR, bytes("2026-12-05T10:00:01Z err\n"));
    assertThat(texts(err)).containsExactly("err");
    assertThat(texts(splitter.accept(LogStream.LOG_STREAM_STDOUT, bytes("2026-12-05T10:00:02Z put\n"))))
        .containsExactly("output");
  }

  @Test
  void aFrameWithoutTimeIsKeptWhole() {
    assertThat(texts(splitter.accept(LogStream.LOG_STREAM_STDOUT, bytes("no time here\nsecond\n"))))
        .containsExactly("no time here", "second");
  }

  @Test
  void anEndlessLineIsCutAtTheLimit() {
    byte[] big = new byte[LogLineSplitter.MAX_LINE_BYTES * 2 + 10];
    java.util.Arrays.fill(big, (byte) 'x');
    List<LogLine> lines = new ArrayList<>(splitter.accept(LogStream.LOG_STREAM_STDOUT, big));
    assertThat(lines).hasSize(2).allMatch(l -> l.getLine().size() == LogLineSplitter.MAX_LINE_BYTES);
    assertThat(splitter.flush()).singleElement().matches(l -> l.getLine().size() == 10);
  }

  @Test
  void emptyLinesAreLines() {
    assertThat(texts(splitter.accept(LogStream.LOG_STREAM_STDOUT, bytes("2026-12-05T10:00:01Z \n"))))
        .containsExactly("");
  }
}
