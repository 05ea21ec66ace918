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
  void aFrameOfSeveralMessagesGivesEachLineItsOwnTime() {
    // As docker-java hands over dockerd's messages that arrive together (seen with 100,000 lines).
    List<LogLine> lines = splitter.accept(LogStream.LOG_STREAM_STDOUT,
        bytes("2026-12-05T10:00:01Z 1344 x\n2026-12-05T10:00:02Z 1345 x\n2026-12-05T10:00:03Z 1346"));
    assertThat(texts(lines)).containsExactly("1344 x", "1345 x");
    assertThat(lines.get(1).getTime().getSeconds()).isEqualTo(1796464802L);
    List<LogLine> rest = splitter.accept(LogStream.LOG_STREAM_STDOUT, bytes(" x\n"));
    assertThat(texts(rest)).containsExactly("1346 x");
    assertThat(rest.get(0).getTime().getSeconds()).isEqualTo(1796464803L);
  }

  @Test
  void aLineSplitOverFramesWaitsForItsEnd() {
    assertThat(splitter.accept(LogStream.LOG_STREAM_STDOUT, bytes("2026-12-05T10:00:01Z part one "))).isEmpty();
    List<LogLine> lines = splitter.accept(LogStream.LOG_STREAM_STDOUT, bytes("part two\n2026"));
    assertThat(texts(lines)).containsExactly("part one part two");
    assertThat(lines.get(0).getTime().getSeconds()).isEqualTo(1796464801L);
    assertThat(texts(splitter.flush())).containsExactly("2026");
  }

  @Test
  void aTimeCutBetweenFramesIsStillATime() {
    // docker-java cuts at 1 KiB whatever the bytes are (seen at line 184 of 100,000).
    assertThat(splitter.accept(LogStream.LOG_STREAM_STDOUT, bytes("2026-12-05T10:00:01Z 183 x\n2026-12-05T10:0")))
        .extracting(l -> l.getLine().toStringUtf8()).containsExactly("183 x");
    List<LogLine> lines = splitter.accept(LogStream.LOG_STREAM_STDOUT, bytes("0:02.5Z 184 x\n"));
    assertThat(texts(lines)).containsExactly("184 x");
    assertThat(lines.get(0).getTime().getSeconds()).isEqualTo(1796464802L);
    assertThat(lines.get(0).getTime().getNanos()).isEqualTo(500_000_000);
  }

  @Test
  void aLineDockerdCutInto16KiBPiecesIsOneLineWithoutThePiecesTimes() {
    String piece = "y".repeat(LogLineSplitter.DOCKERD_PIECE_BYTES);
    List<LogLine> lines = splitter.accept(LogStream.LOG_STREAM_STDOUT,
        bytes("2026-12-05T10:00:01Z " + piece + "2026-12-05T10:00:01.1Z " + piece + "2026-12-05T10:00:01.2Z end\n"));
    assertThat(texts(lines)).containsExactly(piece + piece + "end");
    assertThat(lines.get(0).getTime().getNanos()).isZero();
  }

  @Test
  void streamsKeepTheirOwnPartialLines() {
    splitter.accept(LogStream.LOG_STREAM_STDOUT, bytes("2026-12-05T10:00:01Z out"));
    List<LogLine> err = splitter.accept(LogStream.LOG_STREAM_STDERR, bytes("2026-12-05T10:00:01Z err\n"));
    assertThat(texts(err)).containsExactly("err");
    assertThat(texts(splitter.accept(LogStream.LOG_STREAM_STDOUT, bytes("put\n")))).containsExactly("output");
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
