package io.shoal.cli.client;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.shoal.api.v1.WatchServiceRequest;
import io.shoal.api.v1.WatchServiceResponse;

/**
 * One WatchService call: each notice from control wakes a {@link ChangeSignal}. The reader
 * re-reads the service on each wake, and at its poll interval opens a new watch if this one has
 * {@link #ended()} (control restarted, or lost its etcd watch). An end does not wake the reader:
 * against a control that refuses at once, that would be a loop without pause.
 */
public final class ServiceWatch
    implements ClientResponseObserver<WatchServiceRequest, WatchServiceResponse>, AutoCloseable {
  private final ChangeSignal changes;
  private volatile ClientCallStreamObserver<WatchServiceRequest> call;
  private volatile boolean ended;

  ServiceWatch(ChangeSignal changes) {
    this.changes = changes;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<WatchServiceRequest> requestStream) {
    call = requestStream;
  }

  @Override
  public void onNext(WatchServiceResponse notice) {
    changes.notice();
  }

  @Override
  public void onError(Throwable t) {
    ended = true;
  }

  @Override
  public void onCompleted() {
    ended = true;
  }

  /** Whether the call is over; its reader opens another to keep being woken. */
  public boolean ended() {
    return ended;
  }

  @Override
  public void close() {
    if (!ended && call != null) {
      call.cancel("the CLI is done waiting", null);
    }
  }
}
