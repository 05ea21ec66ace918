package io.shoal.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns whatever ended a command into the one line the user sees after {@code shoal: }. The only
 * place that knows how gRPC failures read: the server's message and the code in parentheses, with a
 * hint when control cannot be reached at all.
 */
public final class ErrorMessages {
  /** "finishConnect(..) failed with error(-111): Connection refused" → "Connection refused". */
  private static final Pattern NETTY_SYSCALL =
      Pattern.compile("^\\w+\\(\\.\\.\\) failed( with error\\(-?\\d+\\))?: ");

  private ErrorMessages() {}

  /**
   * @param target the {@code host:port} the CLI talks to, named when it cannot be reached
   */
  public static String describe(Throwable t, String target) {
    if (t instanceof StatusRuntimeException e) {
      return describe(e.getStatus(), target);
    }
    if (t instanceof CliException) {
      return t.getMessage();
    }
    return "internal error: " + t + " (set SHOAL_DEBUG=1 for a stack trace)";
  }

  public static String describe(Status status, String target) {
    String code = status.getCode().name();
    String description = status.getDescription();
    if (status.getCode() == Status.Code.UNAVAILABLE && status.getCause() == null && description != null
        && description.startsWith("etcd")) {
      // Control answered: it is its store that does not (Shoal's store errors start "etcd ...").
      return "control at " + target + " cannot reach etcd: " + description + " (" + code + ");"
          + " etcd is down or has lost its quorum";
    }
    return switch (status.getCode()) {
      case UNAVAILABLE ->
          "cannot reach control at "
              + target
              + ": "
              + reason(status)
              + " ("
              + code
              + "); is the cluster up? (deploy/dev.sh up)";
      case DEADLINE_EXCEEDED ->
          "control at " + target + " did not answer in time: " + reason(status) + " (" + code + ")";
      default ->
          (description == null || description.isBlank()
                  ? code.toLowerCase(Locale.ROOT).replace('_', ' ')
                  : description)
              + " ("
              + code
              + ")";
    };
  }

  /**
   * The most specific text: the root cause's message ("Connection refused") rather than gRPC's "io
   * exception", without Netty's syscall prefix.
   */
  private static String reason(Status status) {
    Throwable cause = status.getCause();
    while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause != null && cause.getMessage() != null && !cause.getMessage().isBlank()) {
      return NETTY_SYSCALL.matcher(cause.getMessage()).replaceFirst("");
    }
    String description = status.getDescription();
    return description == null || description.isBlank()
        ? status.getCode().name().toLowerCase(Locale.ROOT)
        : description;
  }
}
