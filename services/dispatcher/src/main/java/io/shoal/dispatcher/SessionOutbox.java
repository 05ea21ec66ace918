package io.shoal.dispatcher;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.shoal.api.v1.SessionResponse;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The dispatcher's side of one Session stream: messages go to gRPC only while the stream is
 * ready (the agent reads), the rest wait here. gRPC buffers whatever it is given, so without
 * this an agent that stops reading would hold every later push in the dispatcher's memory.
 *
 * <p>What may wait is bounded: the session hands over assignments only when nothing waits (the
 * next push is computed afresh then and covers every change meanwhile), so at most one push's
 * messages wait (its tasks are the watch cache's own objects), plus SessionStarted and up to
 * {@link #MAX_WAITING_NOTICES} rejection notices. {@link #stalledNanos} tells the session how
 * long the agent has taken nothing.
 *
 * <p>Thread-safe: every call to the stream observer, which is not, holds the observer's lock
 * (the same lock {@link AgentSession} takes to end the stream).
 */
final class SessionOutbox {
  /** Rejection notices kept for an agent that is not reading; later ones are not sent. */
  static final int MAX_WAITING_NOTICES = 64;

  private final ServerCallStreamObserver<SessionResponse> stream;
  private final Runnable onEmptied;
  // Guarded by stream.
  private final ArrayDeque<SessionResponse> waiting = new ArrayDeque<>();
  private int waitingNotices;
  private long waitingSinceNanos;
  private boolean closed;

  /** {@code onEmptied} runs (outside the lock) when the last waiting message goes to gRPC. */
  SessionOutbox(ServerCallStreamObserver<SessionResponse> stream, Runnable onEmptied) {
    this.stream = stream;
    this.onEmptied = onEmptied;
    stream.setOnReadyHandler(this::drain);
  }

  void send(SessionResponse message) {
    sendAll(List.of(message));
  }

  /** Sends {@code messages} in order, after what already waits. */
  void sendAll(List<SessionResponse> messages) {
    synchronized (stream) {
      if (closed) {
        return;
      }
      if (waiting.isEmpty()) {
        waitingSinceNanos = System.nanoTime();
      }
      waiting.addAll(messages);
    }
    drain();
  }

  /** A best-effort notice: dropped when {@link #MAX_WAITING_NOTICES} already wait. */
  boolean sendNotice(SessionResponse notice) {
    synchronized (stream) {
      if (closed || waitingNotices >= MAX_WAITING_NOTICES) {
        return false;
      }
      if (waiting.isEmpty()) {
        waitingSinceNanos = System.nanoTime();
      }
      waiting.add(notice);
      waitingNotices++;
    }
    drain();
    return true;
  }

  /** Whether messages wait for the agent to read. */
  boolean busy() {
    synchronized (stream) {
      return !waiting.isEmpty();
    }
  }

  /** Messages waiting for the agent to read. */
  int waiting() {
    synchronized (stream) {
      return waiting.size();
    }
  }

  /** How long the agent has taken none of the waiting messages; 0 when none waits. */
  long stalledNanos(long nowNanos) {
    synchronized (stream) {
      return waiting.isEmpty() || closed ? 0 : nowNanos - waitingSinceNanos;
    }
  }

  /** Hands waiting messages to gRPC while the stream is ready. */
  void drain() {
    boolean emptied = false;
    synchronized (stream) {
      while (!closed && !waiting.isEmpty() && stream.isReady()) {
        SessionResponse next = waiting.poll();
        if (next.hasTaskStatusRejected()) {
          waitingNotices--;
        }
        stream.onNext(next);
        waitingSinceNanos = System.nanoTime();
        emptied = waiting.isEmpty();
      }
    }
    if (emptied) {
      onEmptied.run();
    }
  }

  /** Ends the stream with {@code status}; returns false if it had already ended. */
  boolean fail(Status status) {
    synchronized (stream) {
      if (closed) {
        return false;
      }
      closed = true;
      waiting.clear();
      stream.onError(status.asRuntimeException());
      return true;
    }
  }

  /** Ends the stream normally (the agent half-closed its side). */
  void complete() {
    synchronized (stream) {
      if (!closed) {
        closed = true;
        waiting.clear();
        stream.onCompleted();
      }
    }
  }

  /** The stream ended without us (cancelled by the agent): nothing more is sent. */
  void abandon() {
    synchronized (stream) {
      closed = true;
      waiting.clear();
    }
  }
}
