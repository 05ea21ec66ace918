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
 * Turns dockerd's log stream (asked with timestamps) into lines. Each of dockerd's messages starts
 * with the time it received it ("2026-12-05T10:00:00.123456789Z "); docker-java hands the stream
 * over in frames of at most 1 KiB that need not start or end anywhere in particular (a frame may
 * hold several messages, a time may be cut in two), so each stream is read as bytes: a time at
 * every line's start, the line up to its newline. dockerd cuts a line longer than 16 KiB into
 * messages of 16 KiB, each with its own time: a time right after such a piece is dropped and the
 * line goes on. A line longer than {@link #MAX_LINE_BYTES} is cut there, so one stream never holds
 * more.
 */
final class LogLineSplitter {
  static final int MAX_LINE_BYTES = 64 * 1024;
  /** dockerd's largest message: a longer line arrives as several (daemon/logger's copier). */
  static final int DOCKERD_PIECE_BYTES = 16 * 1024;
  /** Longer than any time dockerd writes ("2026-12-05T10:00:00.123456789Z" is 30). */
  private static final int MAX_TIME_BYTES = 40;

  /** One stream's state between frames. */
  private static final class State {
    /** The start of a line, or of a piece after a 16 KiB one, while it may still be a time. */
    final ByteArrayOutputStream head = new ByteArrayOutputStream();
    boolean inHead = true;
    final ByteArrayOutputStream line = new ByteArrayOutputStream();
    /** The line's bytes so far, across cuts at MAX_LINE_BYTES: where dockerd's pieces end. */
    long lineBytes;
    Timestamp time = Timestamp.getDefaultInstance();
  }

  private final Map<LogStream, State> states = new EnumMap<>(LogStream.class);

  /** The lines {@code frame} of {@code stream} completes, oldest first. */
  List<LogLine> accept(LogStream stream, byte[] frame) {
    State st = states.computeIfAbsent(stream, s -> new State());
    List<LogLine> lines = new ArrayList<>();
    int i = 0;
    while (i < frame.length) {
      if (st.inHead) {
        i = readHead(stream, st, frame, i, lines);
        continue;
      }
      int newline = indexOf(frame, (byte) '\n', i, frame.length);
      int end = newline < 0 ? frame.length : newline;
      // Stop at the end of dockerd's 16 KiB piece, after which a time may come.
      long toPieceEnd = DOCKERD_PIECE_BYTES - st.lineBytes % DOCKERD_PIECE_BYTES;
      int take = (int) Math.min(Math.min(end - i, MAX_LINE_BYTES - st.line.size()), toPieceEnd);
      append(st, frame, i, take);
      i += take;
      if (newline >= 0 && i == newline) {
        lines.add(line(stream, st));
        st.lineBytes = 0;
        st.inHead = true;
        i++;
        continue;
      }
      if (st.line.size() == MAX_LINE_BYTES) {
        // Cut: the rest of the line is a line of its own, at the same time.
        lines.add(line(stream, st));
      }
      if (take > 0 && st.lineBytes % DOCKERD_PIECE_BYTES == 0) {
        st.inHead = true;
      }
    }
    return lines;
  }

  /**
   * Reads what may be a time, from {@code i}; returns where reading stops. A time is dropped
   * (and kept as the line's when it starts one); anything else is the line's.
   */
  private int readHead(LogStream stream, State st, byte[] frame, int i, List<LogLine> lines) {
    while (i < frame.length) {
      byte b = frame[i++];
      if (b == ' ') {
        Timestamp time = parseTime(st.head.toString(StandardCharsets.US_ASCII));
        if (time != null) {
          if (st.lineBytes == 0) {
            st.time = time;
          }
          st.head.reset();
        } else {
          st.head.write(b);
          endHead(st);
        }
        st.inHead = false;
        return i;
      }
      if (b == '\n') {
        endHead(st);
        lines.add(line(stream, st));
        st.lineBytes = 0;
        return i;
      }
      st.head.write(b);
      if (st.head.size() >= MAX_TIME_BYTES) {
        endHead(st);
        st.inHead = false;
        return i;
      }
    }
    return i;
  }

  /** What was read as a possible time is the line's own. */
  private static void endHead(State st) {
    byte[] head = st.head.toByteArray();
    st.head.reset();
    append(st, head, 0, head.length);
  }

  private static void append(State st, byte[] bytes, int from, int length) {
    st.line.write(bytes, from, length);
    st.lineBytes += length;
  }

  /** What is left of every stream, as last lines: at the end of the log. */
  List<LogLine> flush() {
    List<LogLine> lines = new ArrayList<>();
    states.forEach((stream, st) -> {
      endHead(st);
      if (st.line.size() > 0) {
        lines.add(line(stream, st));
      }
    });
    states.clear();
    return lines;
  }

  /** The line read so far, which starts the next empty. */
  private static LogLine line(LogStream stream, State st) {
    LogLine line = LogLine.newBuilder().setStream(stream).setTime(st.time)
        .setLine(ByteString.copyFrom(st.line.toByteArray())).build();
    st.line.reset();
    return line;
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
