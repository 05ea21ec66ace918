package io.shoal.common.errors;

import io.grpc.Status;

/**
 * An error whose gRPC code is known where it is raised. Plain Java code throws these; only
 * {@link GrpcErrors} turns them into statuses.
 */
public class ShoalException extends RuntimeException {
  private final Status.Code code;

  public ShoalException(Status.Code code, String message) {
    super(message);
    this.code = code;
  }

  public Status.Code code() {
    return code;
  }

  public static ShoalException notFound(String message) {
    return new ShoalException(Status.Code.NOT_FOUND, message);
  }

  public static ShoalException alreadyExists(String message) {
    return new ShoalException(Status.Code.ALREADY_EXISTS, message);
  }

  public static ShoalException failedPrecondition(String message) {
    return new ShoalException(Status.Code.FAILED_PRECONDITION, message);
  }

  public static ShoalException unavailable(String message) {
    return new ShoalException(Status.Code.UNAVAILABLE, message);
  }
}
