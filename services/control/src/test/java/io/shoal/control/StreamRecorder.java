package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The client of one server-streaming call: records what comes, in order, the responses and the
 * status that ends the call; asks for {@code initialRequests} responses and then only when told
 * ({@link #call}{@code .request(n)}), or for all of them as they come (-1).
 */
final class StreamRecorder<ReqT, RespT> implements ClientResponseObserver<ReqT, RespT> {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private final Class<RespT> type;
  private final int initialRequests;
  ClientCallStreamObserver<ReqT> call;

  StreamRecorder(Class<RespT> type, int initialRequests) {
    this.type = type;
    this.initialRequests = initialRequests;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ReqT> requestStream) {
    call = requestStream;
    if (initialRequests >= 0) {
      requestStream.disableAutoRequestWithInitial(initialRequests);
    }
  }

  @Override
  public void onNext(RespT value) {
    received.add(value);
  }

  @Override
  public void onError(Throwable t) {
    received.add(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    received.add(Status.OK);
  }

  /** The next response; fails if the call ended or nothing came within 10 s. */
  RespT next() throws InterruptedException {
    Object o = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(o).isInstanceOf(type);
    return type.cast(o);
  }

  /** The status that ended the call, next in line; fails if a response comes first. */
  Status failure() throws InterruptedException {
    Object o = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(o).isInstanceOf(Status.class);
    return (Status) o;
  }

  /** Skips the responses that came, up to the status that ended the call. */
  Status drainToFailure() throws InterruptedException {
    while (true) {
      Object o = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(o).as("the call's end").isNotNull();
      if (o instanceof Status s) {
        return s;
      }
    }
  }
}
