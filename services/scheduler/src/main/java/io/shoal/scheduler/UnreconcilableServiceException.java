package io.shoal.scheduler;

/**
 * A service the scheduler won't reconcile as stored: a field holds a value out of the range it
 * acts on. The message names the field, and becomes the service's {@code reconcile_error}.
 */
public final class UnreconcilableServiceException extends RuntimeException {
  public UnreconcilableServiceException(String field, String reason) {
    super(field + ": " + reason);
  }
}
