package io.shoal.meshproxy.routes;

import java.util.List;
import java.util.Map;

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

  /** The route of {@code key}, or null when no service publishes it (hot path: no Optional). */
  public Route route(PortKey key) {
    return routes.get(key);
  }
}
