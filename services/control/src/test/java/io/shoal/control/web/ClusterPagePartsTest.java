package io.shoal.control.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.NodeStatus;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster page's pure parts: the Host check, the graph allow-list, Prometheus's answer, the snapshot. */
class ClusterPagePartsTest {
  @Test
  void onlyLoopbackHostNamesAreAllowed() {
    assertThat(LoopbackHost.allowed("127.0.0.1:8080")).isTrue();
    assertThat(LoopbackHost.allowed("localhost:8080")).isTrue();
    assertThat(LoopbackHost.allowed("[::1]:8080")).isTrue();
    assertThat(LoopbackHost.allowed("127.0.0.5")).isTrue();
    // A rebinding site's own name, even if it resolves to 127.0.0.1 now.
    assertThat(LoopbackHost.allowed("evil.example:8080")).isFalse();
    assertThat(LoopbackHost.allowed("10.0.0.1:8080")).isFalse();
    assertThat(LoopbackHost.allowed(null)).isFalse();
    assertThat(LoopbackHost.allowed("[::1")).isFalse();
  }

  @Test
  void anInsecureControlRefusesToServeThePageBeyondLoopback() {
    // Checked before anything is bound or read: no store or event log is needed to refuse.
    assertThatThrownBy(() -> ClusterPage.start(new java.net.InetSocketAddress("192.0.2.1", 7480),
        java.util.Optional.empty(), null, null, java.util.Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--web-listen 192.0.2.1:7480 is not a loopback address, and control is --insecure");
  }

  @Test
  void aGraphsQueryHasTheServicesPortsAndNothingTheBrowserSent() {
    GraphQueries.Graph rate = GraphQueries.named("mesh_connections_rate").orElseThrow();
    assertThat(GraphQueries.query(rate, "web", List.of(30001, 8080))).contains(
        "sum(rate(shoal_mesh_connections_accepted_total{server_port=~\"30001|8080\"}[1m]))");
    assertThat(GraphQueries.query(rate, "web", List.of())).isEmpty();
    assertThat(GraphQueries.named("up{job=~\".*\"}")).isEmpty();
    assertThatThrownBy(() -> GraphQueries.query(GraphQueries.named("running_tasks").orElseThrow(), "a\"}or{x=\"",
        List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void prometheusRangeAnswersBecomeNumberPairsOfTheFirstSeries() {
    String body = """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{},"values":[[1700000000,"0.5"],[1700000005,"NaN"],[1700000010,"2"]]}]}}""";
    assertThat(PrometheusClient.points(body).toString()).isEqualTo("[[1.7E9,0.5],[1.700000005E9,0.0],[1.70000001E9,2.0]]");
    assertThat(PrometheusClient.points("{\"status\":\"success\",\"data\":{\"result\":[]}}")).isEmpty();
  }

  @Test
  void theSnapshotCountsDesiredAndRunningAndKeepsAPendingTasksReason() {
    NodeRegistration h1 = NodeRegistration.newBuilder().setId("n1")
        .setDescription(NodeDescription.newBuilder().setHostname("h1"))
        .setStatus(NodeStatus.newBuilder().setState(NodeState.NODE_STATE_READY)).build();
    Service web = Service.newBuilder().setId("s1").setSpec(ServiceSpec.newBuilder().setName("web")
        .setReplicated(ReplicatedService.newBuilder().setReplicas(3))).build();
    Task running = task("t1", 1, "n1", TaskState.TASK_STATE_RUNNING, "started");
    Task starting = task("t2", 2, "n1", TaskState.TASK_STATE_STARTING, "starting");
    Task pending = task("t3", 3, "", TaskState.TASK_STATE_PENDING, "no suitable node (1 node)");

    JsonObject snapshot = ClusterSnapshot.of(42, List.of(h1), Map.<String, Node>of(), List.of(web),
        List.of(running, starting, pending));

    assertThat(snapshot.get("revision").getAsLong()).isEqualTo(42);
    JsonObject node = snapshot.getAsJsonArray("nodes").get(0).getAsJsonObject();
    assertThat(node.get("hostname").getAsString()).isEqualTo("h1");
    assertThat(node.get("state").getAsString()).isEqualTo("ready");
    JsonObject service = snapshot.getAsJsonArray("services").get(0).getAsJsonObject();
    assertThat(service.get("desired").getAsInt()).isEqualTo(3);
    assertThat(service.get("running").getAsInt()).isEqualTo(1);
    JsonObject third = snapshot.getAsJsonArray("tasks").get(2).getAsJsonObject();
    assertThat(third.get("state").getAsString()).isEqualTo("pending");
    assertThat(third.get("nodeId").getAsString()).isEmpty();
    assertThat(third.get("message").getAsString()).isEqualTo("no suitable node (1 node)");
  }

  private static Task task(String id, int slot, String node, TaskState state, String message) {
    return Task.newBuilder().setId(id).setServiceId("s1").setServiceName("web").setSlot(slot).setNodeId(node)
        .setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(state).setMessage(message)).build();
  }
}
