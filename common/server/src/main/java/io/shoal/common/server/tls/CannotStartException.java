package io.shoal.common.server.tls;

/** A service cannot start as configured: its message is the one line printed before exit code 1. */
public final class CannotStartException extends RuntimeException {
  public CannotStartException(String message) {
    super(message);
  }

  public CannotStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
