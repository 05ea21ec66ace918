package io.shoal.common.errors;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where exceptions become gRPC statuses. */
public final class GrpcErrors {
  private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

  private GrpcErrors() {}

  public static StatusRuntimeException toStatus(Throwable t) {
    if (t instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (t instanceof InvalidArgumentException e) {
      com.google.rpc.Status status =
          com.google.rpc.Status.newBuilder()
              .setCode(Code.INVALID_ARGUMENT_VALUE)
              .setMessage(e.getMessage())
              .addDetails(
                  com.google.protobuf.Any.pack(
                      BadRequest.newBuilder()
                          .addFieldViolations(
                              BadRequest.FieldViolation.newBuilder()
                                  .setField(e.field())
                                  .setDescription(e.reason()))
                          .build()))
              .build();
      return StatusProto.toStatusRuntimeException(status);
    }
    if (t instanceof ShoalException e) {
      return Status.fromCode(e.code()).withDescription(e.getMessage()).asRuntimeException();
    }
    log.error("internal error", t);
    return Status.INTERNAL.withDescription("internal error; see the server's log").asRuntimeException();
  }

  /** Runs a unary call's body and answers with its result or its mapped error. */
  public static <R> void unary(StreamObserver<R> observer, Supplier<R> body) {
    R result;
    try {
      result = body.get();
    } catch (RuntimeException e) {
      observer.onError(toStatus(e));
      return;
    }
    observer.onNext(result);
    observer.onCompleted();
  }
}
