package io.shoal.meshproxy.routes;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of every route this node serves, plus the problems found while building
 * it (port conflicts, unsupported protocols, unroutable endpoints). Built by
 * {@link RouteTableBuilder}, published through {@link LiveRoutes}, read once per connection.
 */
public record RouteTable(Map<PortKey, Route> routes, List<String> problems) {
  public static final RouteTable EMPTY = new RouteTable(Map.of(), List.of());

  public RouteTable {
    routes = Map.copyOf(routes);
    problems = List.copyOf(problems);
  }

  /** The tasks that may get new connections, on any port. */
  public Set<String> backendTaskIds() {
    Set<String> ids = new HashSet<>();
    for (Route route : routes.values()) {
      for (Backend backend : route.backends()) {
        ids.add(backend.taskId());
      }
    }
    return ids;
  }

  /** The route of {@code key}, or null when no service publishes it (hot path: no Optional). */
  public Route route(PortKey key) {
    return routes.get(key);
  }
}
