package io.shoal.common.errors;

import io.grpc.Status;

/** A request that is wrong whatever the cluster's state: names the field and the reason. */
public final class InvalidArgumentException extends ShoalException {
  private final String field;
  private final String reason;

  public InvalidArgumentException(String field, String reason) {
    super(Status.Code.INVALID_ARGUMENT, field + ": " + reason);
    this.field = field;
    this.reason = reason;
  }

  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }
}
