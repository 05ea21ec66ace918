package io.shoal.agent.logs;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.shoal.api.v1.LogLine;
import io.shoal.api.v1.LogStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Turns dockerd's log frames (asked with timestamps) into whole lines. Each frame starts with the
 * time dockerd received it ("2026-12-05T10:00:00.123456789Z "); a frame need not end a line (a
 * TTY's output, a line dockerd split), so what is left of each stream waits for the next frame,
 * whose own time prefix is then dropped. A line longer than {@link #MAX_LINE_BYTES} is cut there,
 * so one stream never holds more.
 */
final class LogLineSplitter {
  static final int MAX_LINE_BYTES = 64 * 1024;

  private record Pending(ByteArrayOutputStream bytes, Timestamp time) {}

  private final Map<LogStream, Pending> pending = new EnumMap<>(LogStream.class);

  /** The lines {@code frame} of {@code stream} completes, oldest first. */
  List<LogLine> accept(LogStream stream, byte[] frame) {
    int start = 0;
    Timestamp time = null;
    int space = indexOf(frame, (byte) ' ', 0, Math.min(frame.length, 40));
    if (space > 0) {
      time = parseTime(new String(frame, 0, space, StandardCharsets.US_ASCII));
      if (time != null) {
        start = space + 1;
      }
    }
    List<LogLine> lines = new ArrayList<>();
    Pending p = pending.get(stream);
    if (p == null) {
      p = new Pending(new ByteArrayOutputStream(), time == null ? Timestamp.getDefaultInstance() : time);
    }
    int i = start;
    while (i < frame.length) {
      int newline = indexOf(frame, (byte) '\n', i, frame.length);
      int end = newline < 0 ? frame.length : newline;
      int room = MAX_LINE_BYTES - p.bytes().size();
      int take = Math.min(end - i, room);
      p.bytes().write(frame, i, take);
      i += take;
      if (newline >= 0 && i == newline || p.bytes().size() == MAX_LINE_BYTES) {
        lines.add(line(stream, p));
        p = new Pending(new ByteArrayOutputStream(), time == null ? p.time() : time);
        if (newline >= 0 && i == newline) {
          i++;
        }
      }
    }
    if (p.bytes().size() > 0) {
      pending.put(stream, p);
    } else {
      pending.remove(stream);
    }
    return lines;
  }

  /** What is left of every stream, as last lines: at the end of the log. */
  List<LogLine> flush() {
    List<LogLine> lines = new ArrayList<>();
    pending.forEach((stream, p) -> lines.add(line(stream, p)));
    pending.clear();
    return lines;
  }

  private static LogLine line(LogStream stream, Pending p) {
    return LogLine.newBuilder().setStream(stream).setTime(p.time())
        .setLine(ByteString.copyFrom(p.bytes().toByteArray())).build();
  }

  private static Timestamp parseTime(String text) {
    if (text.length() < 20 || text.charAt(4) != '-' || text.charAt(10) != 'T') {
      return null;
    }
    try {
      Instant instant = Instant.parse(text);
      return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    } catch (DateTimeParseException notATime) {
      return null;
    }
  }

  private static int indexOf(byte[] bytes, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
