package io.shoal.control.events;

import io.grpc.Status;
import io.shoal.api.v1.Event;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * One subscriber (a WatchEvents call, a cluster page): the events its filter passes wait in a
 * queue and go out while its sink says the reader reads (isReady). The kept events it asked for (its backlog: references to the log's
 * own) may all wait; new ones beyond them at most {@link #MAX_PENDING}. A caller that falls that
 * far behind is ended with RESOURCE_EXHAUSTED naming the revision to resume after, so it costs
 * control a bounded queue, never a growing one.
 */
final class Subscription {
  static final int MAX_PENDING = 1_000;

  private final EventSink call;
  private final EventFilter filter;
  private final Consumer<Subscription> onEnd;
  /** Events after this time are not sent; the call completes at it ({@code --until}). */
  private final java.time.Instant until;
  private boolean completing;
  // Guarded by this.
  private final ArrayDeque<Event> pending = new ArrayDeque<>();
  private long lastSent;
  /** Backlog events still waiting: they do not count against MAX_PENDING. */
  private int backlogLeft;
  private boolean ended;

  Subscription(EventSink call, EventFilter filter, java.time.Instant until,
      Consumer<Subscription> onEnd) {
    this.until = until;
    this.call = call;
    this.filter = filter;
    this.onEnd = onEnd;
  }

  /** Starts sending: what was offered so far, and later events as the caller reads. */
  void start() {
    call.onCancel(() -> {
      synchronized (this) {
        ended = true;
        pending.clear();
      }
      onEnd.accept(this);
    });
    call.onReady(this::drain);
    drain();
  }

  /** The kept events the caller asked for; before {@link #start}. */
  synchronized void offerBacklog(List<Event> events) {
    for (Event e : events) {
      if (filter.matches(e) && !io.shoal.common.time.Timestamps.toInstant(e.getTime()).isAfter(until)) {
        pending.addLast(e);
      }
    }
    backlogLeft = pending.size();
  }

  /** New events, as they come. */
  void offer(List<Event> events) {
    synchronized (this) {
      if (ended) {
        return;
      }
      for (Event e : events) {
        if (filter.matches(e) && !io.shoal.common.time.Timestamps.toInstant(e.getTime()).isAfter(until)) {
          pending.addLast(e);
        }
      }
      if (pending.size() - backlogLeft > MAX_PENDING) {
        end(Status.RESOURCE_EXHAUSTED.withDescription(MAX_PENDING + " events waited for this caller, which reads"
            + " more slowly than they come; watch again with after_revision " + lastSent + " to go on"));
        return;
      }
    }
    drain();
  }

  private synchronized void drain() {
    while (!ended && !pending.isEmpty() && call.isReady()) {
      Event e = pending.removeFirst();
      call.send(e);
      lastSent = e.getRevision();
      if (backlogLeft > 0) {
        backlogLeft--;
      }
    }
    if (completing && !ended && pending.isEmpty()) {
      ended = true;
      call.complete();
      onEnd.accept(this);
    }
  }

  /** {@code until} is reached: the call completes once what waits is sent. */
  void complete() {
    synchronized (this) {
      completing = true;
    }
    drain();
  }

  /** Ends the call with {@code status}. */
  void end(Status status) {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      pending.clear();
      if (!call.isCancelled()) {
        call.fail(status);
      }
    }
    onEnd.accept(this);
  }
}
