package io.shoal.cli.logs;

import io.shoal.api.v1.LogLine;
import io.shoal.api.v1.ServiceLogsResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How {@code shoal service logs} shows a line, as {@code docker service logs} does:
 * {@code [TIME ]NAME.SLOT.TASKID@NODE    | line}. TASKID is the first 12 characters of the id
 * (whole with --no-trunc, none with --no-task-ids), NODE the node's hostname, and the prefixes
 * are padded to the longest one seen so far; --raw prints no prefix.
 */
final class LogPrefix {
  /** Docker's RFC3339NanoFixed: always nine digits of fraction. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX").withZone(ZoneOffset.UTC);
  private static final int SHORT_ID = 12;

  /** What to show, from the flags. */
  record Options(boolean timestamps, boolean taskIds, boolean truncate, boolean raw) {}

  private final Options options;
  private int width;

  LogPrefix(Options options) {
    this.options = options;
  }

  /** {@code web.1.abcdef012345@h1} for the task of {@code r}. */
  String prefix(ServiceLogsResponse r) {
    StringBuilder s = new StringBuilder(r.getServiceName()).append('.')
        .append(r.getSlot() != 0 ? String.valueOf(r.getSlot()) : r.getNodeId());
    if (options.taskIds()) {
      String id = r.getTaskId();
      s.append('.').append(options.truncate() && id.length() > SHORT_ID ? id.substring(0, SHORT_ID) : id);
    }
    return s.append('@').append(r.getNodeHostname().isEmpty() ? r.getNodeId() : r.getNodeHostname()).toString();
  }

  /** The line as printed, without its newline. */
  String line(ServiceLogsResponse r, LogLine line) {
    StringBuilder s = new StringBuilder();
    if (options.timestamps()) {
      s.append(TIME.format(Instant.ofEpochSecond(line.getTime().getSeconds(), line.getTime().getNanos()))).append(' ');
    }
    if (!options.raw()) {
      String prefix = prefix(r);
      width = Math.max(width, prefix.length());
      s.append(prefix).append(" ".repeat(width - prefix.length())).append(" | ");
    }
    return s.append(line.getLine().toStringUtf8()).toString();
  }
}
