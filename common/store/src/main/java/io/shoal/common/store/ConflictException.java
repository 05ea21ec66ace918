package io.shoal.common.store;

import io.shoal.common.errors.ShoalException;
import io.grpc.Status;

/**
 * A transaction's guard failed: someone else wrote one of its keys since it was read. The
 * caller re-reads and decides again; it never overwrites.
 */
public final class ConflictException extends ShoalException {
  public ConflictException(String message) {
    super(Status.Code.ABORTED, message);
  }
}
