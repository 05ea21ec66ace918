package io.shoal.common.store;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;

/**
 * A read at a revision etcd no longer has: it compacts its history (docs/LIMITS.md), so a view
 * kept longer than that window must be read again from the newest revision.
 */
public final class RevisionCompactedException extends ShoalException {
  public RevisionCompactedException(String message) {
    super(Status.Code.OUT_OF_RANGE, "etcd: " + message);
  }
}
