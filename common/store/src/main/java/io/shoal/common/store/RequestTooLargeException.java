package io.shoal.common.store;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;

/**
 * etcd refused a request for its size: more bytes than its {@code --max-request-bytes} (1.5 MiB
 * by default) or more operations than its {@code --max-txn-ops} (128). The same writes may fit
 * when sent in smaller transactions; a single write that does not fit never will.
 */
public final class RequestTooLargeException extends ShoalException {
  public RequestTooLargeException(String message) {
    super(Status.Code.RESOURCE_EXHAUSTED, message);
  }

  /**
   * etcd's own words for a request it will never take at this size: its raft limit
   * ("request is too large", between 1.5 and 2 MiB) or its gRPC limit (RESOURCE_EXHAUSTED, above).
   */
  static boolean describes(Throwable e) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof io.grpc.StatusRuntimeException s) {
      return s.getStatus().getCode() == io.grpc.Status.Code.RESOURCE_EXHAUSTED;
    }
    if (!(e instanceof io.etcd.jetcd.common.exception.EtcdException etcd)) {
      return false;
    }
    return etcd.getErrorCode() == io.etcd.jetcd.common.exception.ErrorCode.RESOURCE_EXHAUSTED
        || message.contains("request is too large")
        || message.contains("too many operations in txn request")
        || message.contains("larger than max");
  }
}
