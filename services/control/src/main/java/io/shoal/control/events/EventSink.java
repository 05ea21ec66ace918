package io.shoal.control.events;

import io.grpc.Status;
import io.shoal.api.v1.Event;

/**
 * Where one subscriber's events go: a WatchEvents call ({@link GrpcEventSink}) or the cluster
 * page's Server-Sent Events stream. {@link Subscription} sends only while {@link #isReady}, so
 * each sink's own flow control (gRPC's, a socket's write buffer) bounds what waits in it.
 */
public interface EventSink {
  /** Whether the reader takes more now; when false, {@link #onReady} runs once it does again. */
  boolean isReady();

  void send(Event event);

  /** The stream ends normally. */
  void complete();

  /** The stream ends with {@code status} (e.g. RESOURCE_EXHAUSTED naming the revision to resume after). */
  void fail(Status status);

  boolean isCancelled();

  /** Runs {@code handler} whenever the reader can take more. */
  void onReady(Runnable handler);

  /** Runs {@code handler} once when the reader goes away. */
  void onCancel(Runnable handler);
}
