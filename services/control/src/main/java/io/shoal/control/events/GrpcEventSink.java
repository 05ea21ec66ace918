package io.shoal.control.events;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.shoal.api.v1.Event;
import io.shoal.api.v1.WatchEventsResponse;

/** A WatchEvents call as an {@link EventSink}. */
record GrpcEventSink(ServerCallStreamObserver<WatchEventsResponse> call) implements EventSink {
  @Override
  public boolean isReady() {
    return call.isReady();
  }

  @Override
  public void send(Event event) {
    call.onNext(WatchEventsResponse.newBuilder().setEvent(event).build());
  }

  @Override
  public void complete() {
    call.onCompleted();
  }

  @Override
  public void fail(Status status) {
    call.onError(status.asRuntimeException());
  }

  @Override
  public boolean isCancelled() {
    return call.isCancelled();
  }

  @Override
  public void onReady(Runnable handler) {
    call.setOnReadyHandler(handler);
  }

  @Override
  public void onCancel(Runnable handler) {
    call.setOnCancelHandler(handler);
  }
}
