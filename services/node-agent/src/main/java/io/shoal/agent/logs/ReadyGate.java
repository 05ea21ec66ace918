package io.shoal.agent.logs;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.TimeUnit;

/**
 * Holds the thread that reads dockerd while the caller has not taken what was sent (gRPC's
 * isReady false): dockerd's socket then fills and the container's log waits in dockerd's file,
 * not in the agent's heap.
 */
final class ReadyGate {
  private final ServerCallStreamObserver<?> call;
  private boolean cancelled;

  ReadyGate(ServerCallStreamObserver<?> call) {
    this.call = call;
  }

  /** Wired as the call's ready and cancel handlers. */
  synchronized void signal() {
    notifyAll();
  }

  synchronized void cancel() {
    cancelled = true;
    notifyAll();
  }

  synchronized boolean cancelled() {
    return cancelled;
  }

  /** Waits until the call takes more; false when it was cancelled instead. */
  synchronized boolean awaitReady() throws InterruptedException {
    while (!cancelled && !call.isReady()) {
      // The ready handler wakes it; the timeout only guards against a missed signal.
      wait(TimeUnit.SECONDS.toMillis(1));
    }
    return !cancelled;
  }
}
