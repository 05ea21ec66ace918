package io.shoal.control.logs;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Interleaves several tasks' log streams into one call, in the order their responses arrive
 * (so each task's lines stay in its order). A source is asked for its next response only once
 * its last one was handed to the caller: while the caller is not ready, at most one response per
 * source waits here, and the agents' reads of dockerd wait behind gRPC's flow control.
 *
 * @param <T> what the caller receives
 */
final class LogMerge<T> {
  /** The caller's side of the call. */
  interface Sink<T> {
    boolean isReady();

    void send(T item);
  }

  private record Waiting<T>(Runnable requestMore, T item) {}

  private final Sink<T> sink;
  private final ArrayDeque<Waiting<T>> waiting = new ArrayDeque<>();
  private Runnable onDrained;
  private boolean done;

  LogMerge(Sink<T> sink) {
    this.sink = sink;
  }

  /**
   * {@code item} from a source that {@code requestMore} asks for its next one, which it sends
   * no other item before.
   */
  synchronized void offer(Runnable requestMore, T item) {
    if (done) {
      return;
    }
    waiting.add(new Waiting<>(requestMore, item));
    drain();
  }

  /** Hands the caller what waits, for as long as it is ready: its ready handler. */
  synchronized void drain() {
    while (!done && !waiting.isEmpty() && sink.isReady()) {
      Waiting<T> w = waiting.poll();
      sink.send(w.item());
      w.requestMore().run();
    }
    if (!done && waiting.isEmpty() && onDrained != null) {
      done = true;
      onDrained.run();
    }
  }

  /** Runs {@code then} once everything offered has been sent, and takes nothing after. */
  synchronized void finish(Runnable then) {
    if (onDrained == null) {
      onDrained = then;
    }
    drain();
  }

  /** Drops what waits (the caller went away). */
  synchronized void abandon() {
    done = true;
    waiting.clear();
  }

  /** Responses waiting for the caller now. */
  synchronized int waiting() {
    return waiting.size();
  }

  /** For tests: a sink over a consumer. */
  static <T> Sink<T> sink(java.util.function.BooleanSupplier ready, Consumer<T> send) {
    return new Sink<>() {
      @Override
      public boolean isReady() {
        return ready.getAsBoolean();
      }

      @Override
      public void send(T item) {
        send.accept(item);
      }
    };
  }
}
