package io.shoal.meshproxy.routes;

import java.util.concurrent.atomic.AtomicReference;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The route table in force: an immutable snapshot swapped whole by the {@link RouteWatcher}
 * after each batch of etcd changes. A connection reads it once, when it is accepted, so it
 * sees one consistent table however the table changes while it connects.
 */
@Singleton
public final class LiveRoutes {
  private final AtomicReference<RouteTable> table = new AtomicReference<>(RouteTable.EMPTY);

  @Inject
  public LiveRoutes() {}

  public RouteTable current() {
    return table.get();
  }

  /** Replaces the table; returns the one it replaced. */
  public RouteTable publish(RouteTable next) {
    return table.getAndSet(next);
  }
}
