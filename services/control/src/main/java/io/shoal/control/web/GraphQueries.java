package io.shoal.control.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The only Prometheus queries the page may ask control to run: each graph's PromQL with
 * {@code $SERVICE} (the service's name) and {@code $PORTS} (its published ports, a regex
 * alternation) filled in by control, never by the browser, so the page cannot query anything
 * else. One place to adjust the list as metrics come and go.
 */
public final class GraphQueries {
  /** One graph of a service: its title, unit and PromQL template. */
  public record Graph(String name, String title, String unit, String query, boolean needsPorts) {}

  private static final Map<String, Graph> GRAPHS = new LinkedHashMap<>();

  static {
    // Connections through the mesh to the service's published ports, all proxies summed
    // (mesh-proxy counts per port: server_port). A TCP connection is the mesh's "request".
    add(new Graph("mesh_connections_rate", "connections/s through the mesh", "/s",
        "sum(rate(shoal_mesh_connections_accepted_total{server_port=~\"$PORTS\"}[1m]))", true));
    add(new Graph("mesh_connections_active", "open mesh connections", "",
        "sum(shoal_mesh_connections_active{server_port=~\"$PORTS\"})", true));
    // Running tasks that are meant to run, from the leading scheduler (the only exporter of the
    // cluster's series, so no sum over copies is needed).
    add(new Graph("running_tasks", "running tasks", "",
        "max(shoal_cluster_service_replicas_running{service=\"$SERVICE\"})", false));
  }

  private GraphQueries() {}

  private static void add(Graph graph) {
    GRAPHS.put(graph.name(), graph);
  }

  public static List<Graph> all() {
    return List.copyOf(GRAPHS.values());
  }

  public static Optional<Graph> named(String name) {
    return Optional.ofNullable(GRAPHS.get(name));
  }

  /**
   * The PromQL of {@code graph} for one service, or empty when it needs published ports and the
   * service has none. Names and ports are checked to hold no quote or backslash before use.
   */
  public static Optional<String> query(Graph graph, String serviceName, List<Integer> ports) {
    if (!serviceName.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      throw new IllegalArgumentException("service name " + serviceName + " is not a service name");
    }
    if (graph.needsPorts() && ports.isEmpty()) {
      return Optional.empty();
    }
    String alternation = ports.stream().map(String::valueOf).collect(Collectors.joining("|"));
    return Optional.of(graph.query().replace("$SERVICE", serviceName).replace("$PORTS", alternation));
  }
}
