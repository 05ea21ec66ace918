package io.shoal.agent.session;

import io.shoal.api.v1.TaskStatus;
import java.nio.charset.StandardCharsets;

/**
 * The dispatcher's limits on a status report's text (TaskStatusUpdate in dispatcher.proto):
 * a report over them is refused, so the agent cuts message and err to fit rather than lose the
 * state change they come with.
 */
final class ReportLimits {
  static final int MAX_MESSAGE_BYTES = 1024;
  static final int MAX_ERR_BYTES = 4096;
  private static final String CUT = "…";

  private ReportLimits() {}

  static TaskStatus fit(TaskStatus status) {
    if (status.getMessageBytes().size() <= MAX_MESSAGE_BYTES && status.getErrBytes().size() <= MAX_ERR_BYTES) {
      return status;
    }
    return status.toBuilder()
        .setMessage(cut(status.getMessage(), MAX_MESSAGE_BYTES))
        .setErr(cut(status.getErr(), MAX_ERR_BYTES))
        .build();
  }

  /** {@code text} in at most {@code max} UTF-8 bytes, ending in "…" if cut (never mid-character). */
  static String cut(String text, int max) {
    if (text.getBytes(StandardCharsets.UTF_8).length <= max) {
      return text;
    }
    int budget = max - CUT.getBytes(StandardCharsets.UTF_8).length;
    int bytes = 0;
    int end = 0;
    while (end < text.length()) {
      int cp = text.codePointAt(end);
      int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + len > budget) {
        break;
      }
      bytes += len;
      end += Character.charCount(cp);
    }
    return text.substring(0, end) + CUT;
  }
}
