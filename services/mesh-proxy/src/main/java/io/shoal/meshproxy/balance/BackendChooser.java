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
 *   <li>round robin: the port's cursor moves one backend per connection, from a random start
 *       ({@link RotationStarts});
 *   <li>least-conn: the backend with the fewest open connections through this proxy; the
 *       port's cursor takes turns among the equally least loaded ones.
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
    if (route.loadBalancing() != LoadBalancing.LOAD_BALANCING_LEAST_CONN) {
      return port.nextIndex(backends.size());
    }
    int[] active = new int[backends.size()];
    int fewest = Integer.MAX_VALUE;
    int ties = 0;
    for (int i = 0; i < active.length; i++) {
      active[i] = connections.active(backends.get(i).taskId());
      if (active[i] < fewest) {
        fewest = active[i];
        ties = 1;
      } else if (active[i] == fewest) {
        ties++;
      }
    }
    // The cursor picks among the least loaded only, so they take turns evenly.
    int nth = port.nextIndex(ties);
    for (int i = 0; i < active.length; i++) {
      if (active[i] == fewest && nth-- == 0) {
        return i;
      }
    }
    throw new IllegalStateException("no least-loaded backend among " + backends);
  }
}
