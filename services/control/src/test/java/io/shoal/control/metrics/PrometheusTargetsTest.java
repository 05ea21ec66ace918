package io.shoal.control.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeRegistration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prometheus's HTTP service discovery lists, made from what the parts registered. */
class PrometheusTargetsTest {
  private static final Map<String, List<String>> ENDPOINTS = Map.of(
      "control", List.of("127.0.0.1:9400"),
      "scheduler", List.of("127.0.0.1:9402", "127.0.0.1:19402"),
      "mesh-proxy", List.of("10.0.0.11:9405", "10.0.0.99:9405"),
      "some-future-part", List.of("127.0.0.1:9499"));

  @Test
  void managersAreOneGroupPerEndpointLabelledWithTheirJobAndNothingElse() {
    assertThat(JsonParser.parseString(PrometheusTargets.managers(ENDPOINTS))).isEqualTo(JsonParser.parseString("""
        [{"targets": ["127.0.0.1:9400"], "labels": {"job": "shoal-control"}},
         {"targets": ["127.0.0.1:9402"], "labels": {"job": "shoal-scheduler"}},
         {"targets": ["127.0.0.1:19402"], "labels": {"job": "shoal-scheduler"}}]"""));
  }

  @Test
  void nodesAreEachAgentThatServesMetricsAndEachMeshProxyNamedByTheNodeOfItsAddress() {
    List<NodeRegistration> nodes = List.of(
        node("h1", "10.0.0.11", "10.0.0.11:9404"),
        node("h2", "10.0.0.12", ""));  // an agent started without --metrics-port
    assertThat(JsonParser.parseString(PrometheusTargets.nodes(nodes, ENDPOINTS))).isEqualTo(JsonParser.parseString("""
        [{"targets": ["10.0.0.11:9404"], "labels": {"job": "shoal-node-agent", "node": "h1"}},
         {"targets": ["10.0.0.11:9405"], "labels": {"job": "shoal-mesh-proxy", "node": "h1"}},
         {"targets": ["10.0.0.99:9405"], "labels": {"job": "shoal-mesh-proxy"}}]"""));
  }

  @Test
  void aClusterWithNothingRegisteredListsNoTargets() {
    assertThat(PrometheusTargets.managers(Map.of())).isEqualTo("[]");
    assertThat(PrometheusTargets.nodes(List.of(), Map.of())).isEqualTo("[]");
  }

  private static NodeRegistration node(String hostname, String addr, String metricsAddr) {
    return NodeRegistration.newBuilder().setDescription(NodeDescription.newBuilder()
        .setHostname(hostname).setAddr(addr).setMetricsAddr(metricsAddr)).build();
  }
}
