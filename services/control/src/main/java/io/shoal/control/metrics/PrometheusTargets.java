package io.shoal.control.metrics;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.MetricsEndpoints;
import io.shoal.common.store.Tables;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus's targets, made from the cluster (HTTP service discovery, served beside control's
 * /metrics with the same client-certificate check): the parts that registered where they serve
 * metrics (Tables.METRICS_*), and each node's agent from its registration's
 * {@code metrics_addr}. Two lists, because their certificates differ: the managers' name their
 * addresses (Prometheus checks them), the nodes' do not yet.
 *
 * <p>Each entry is Prometheus's {@code [{"targets": [...], "labels": {...}}]}, labelled with
 * {@code job} (shoal-control, shoal-node-agent, …) and, for a node's parts, {@code node} (its
 * hostname).
 */
public final class PrometheusTargets {
  public static final String MANAGERS_PATH = "/prometheus/targets/managers";
  public static final String NODES_PATH = "/prometheus/targets/nodes";
  private static final List<String> MANAGER_PARTS = List.of("control", "registry", "scheduler", "dispatcher");

  private PrometheusTargets() {}

  /** control, the registry service, the schedulers and the dispatchers. */
  public static String managers(EtcdStore store) {
    return managers(MetricsEndpoints.list(store));
  }

  /** Every node's agent and mesh-proxy. */
  public static String nodes(EtcdStore store) {
    return nodes(store.list(Tables.NODE_REGISTRATIONS).items(), MetricsEndpoints.list(store));
  }

  /** The managers' groups from the registered endpoints (part → host:ports); other parts left out. */
  static String managers(Map<String, List<String>> endpoints) {
    JsonArray groups = new JsonArray();
    // In MANAGER_PARTS' order, whatever the map's: the same registrations give the same list.
    for (String part : MANAGER_PARTS) {
      endpoints.getOrDefault(part, List.of()).forEach(a -> groups.add(group(a, "shoal-" + part, null)));
    }
    return groups.toString();
  }

  /**
   * The nodes' groups: each registration's agent ({@code metrics_addr}, none when it serves no
   * metrics), and each registered mesh-proxy labelled with the node whose address it serves on.
   */
  static String nodes(Collection<NodeRegistration> nodes, Map<String, List<String>> endpoints) {
    Map<String, String> hostnameByAddr = new HashMap<>();
    JsonArray groups = new JsonArray();
    for (NodeRegistration node : nodes) {
      hostnameByAddr.put(node.getDescription().getAddr(), node.getDescription().getHostname());
      if (!node.getDescription().getMetricsAddr().isEmpty()) {
        groups.add(group(node.getDescription().getMetricsAddr(), "shoal-node-agent", node.getDescription().getHostname()));
      }
    }
    for (String mesh : endpoints.getOrDefault("mesh-proxy", List.of())) {
      String host = mesh.substring(0, mesh.lastIndexOf(':'));
      groups.add(group(mesh, "shoal-mesh-proxy", hostnameByAddr.get(host)));
    }
    return groups.toString();
  }

  private static JsonObject group(String address, String job, String node) {
    JsonObject group = new JsonObject();
    JsonArray targets = new JsonArray();
    targets.add(address);
    group.add("targets", targets);
    JsonObject labels = new JsonObject();
    labels.addProperty("job", job);
    if (node != null) {
      labels.addProperty("node", node);
    }
    group.add("labels", labels);
    return group;
  }
}
