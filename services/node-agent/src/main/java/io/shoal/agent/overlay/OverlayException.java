package io.shoal.agent.overlay;

/** The host could not be set up for a network: the message says what failed and why. */
public final class OverlayException extends RuntimeException {
  OverlayException(String message) {
    super(message);
  }

  OverlayException(String message, Throwable cause) {
    super(message, cause);
  }
}
