package io.shoal.cli;

/** A failure to report to the user as one line on stderr, exit code 1. */
public class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
