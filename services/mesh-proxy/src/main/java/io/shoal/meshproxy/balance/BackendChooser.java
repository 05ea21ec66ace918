package io.shoal.meshproxy.balance;

import io.shoal.api.v1.LoadBalancing;
import io.shoal.meshproxy.ports.PublishedPort;
import io.shoal.meshproxy.routes.Backend;
import io.shoal.meshproxy.routes.Route;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Picks the backend of a new connection or flow, by the route's load balancing:
 *
 * <ul>
 *   <li>round robin: the port's cursor moves one backend per connection;
 *   <li>least-conn: the backend with the fewest open connections through this proxy, ties
 *       broken by the same cursor so equal backends still alternate.
 * </ul>
 *
 * The connector tries the others in table order after the first when it refuses, so every
 * policy skips a refusing backend the same way. Counts are this node's only: each node's proxy
 * balances what it accepts.
 */
@Singleton
public final class BackendChooser {
  private final BackendConnections connections;

  @Inject
  public BackendChooser(BackendConnections connections) {
    this.connections = connections;
  }

  /** The index in {@code route.backends()} (not empty) to try first. */
  public int first(Route route, PublishedPort port) {
    List<Backend> backends = route.backends();
    int start = port.nextIndex(backends.size());
    if (route.loadBalancing() != LoadBalancing.LOAD_BALANCING_LEAST_CONN) {
      return start;
    }
    int best = start;
    int fewest = Integer.MAX_VALUE;
    for (int i = 0; i < backends.size(); i++) {
      int index = (start + i) % backends.size();
      int active = connections.active(backends.get(index).taskId());
      if (active < fewest) {
        fewest = active;
        best = index;
      }
    }
    return best;
  }
}
