package io.shoal.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.GlobalService;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeSpec;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.NodeStatus;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterCountsTest {
  private static Service replicated(String id, long replicas) {
    return Service.newBuilder().setId(id).setSpec(ServiceSpec.newBuilder().setName(id)
        .setContainer(ContainerSpec.newBuilder().setImage("img:1"))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(replicas))).build();
  }

  private static Task task(String id, String service, TaskState desired, TaskState state, String err) {
    return Task.newBuilder().setId(id).setServiceId(service).setDesiredState(desired)
        .setStatus(TaskStatus.newBuilder().setState(state).setErr(err)).build();
  }

  private static Node node(String id, NodeState state, NodeAvailability availability) {
    return Node.newBuilder().setId(id).setStatus(NodeStatus.newBuilder().setState(state))
        .setSpec(NodeSpec.newBuilder().setAvailability(availability)).build();
  }

  @Test
  void tasksReplicasPendingReasonsAndNodesAreCountedInSwarmsWords() {
    Service web = replicated("web", 3);
    Service agent = Service.newBuilder().setId("agent").setSpec(ServiceSpec.newBuilder().setName("agent")
        .setGlobal(GlobalService.getDefaultInstance())).build();
    Map<String, Task> tasks = Map.of(
        "t1", task("t1", "web", TaskState.TASK_STATE_RUNNING, TaskState.TASK_STATE_RUNNING, ""),
        "t2", task("t2", "web", TaskState.TASK_STATE_RUNNING, TaskState.TASK_STATE_PENDING,
            "no suitable node (2 nodes not available for new tasks; 1 node's labels do not match)"),
        "t3", task("t3", "web", TaskState.TASK_STATE_SHUTDOWN, TaskState.TASK_STATE_SHUTDOWN, ""),
        "t4", task("t4", "agent", TaskState.TASK_STATE_RUNNING, TaskState.TASK_STATE_RUNNING, ""),
        "t5", task("t5", "agent", TaskState.TASK_STATE_RUNNING, TaskState.TASK_STATE_STARTING, ""),
        "t6", task("t6", "removed", TaskState.TASK_STATE_REMOVE, TaskState.TASK_STATE_RUNNING, ""));
    Map<String, Node> nodes = Map.of(
        "n1", node("n1", NodeState.NODE_STATE_READY, NodeAvailability.NODE_AVAILABILITY_ACTIVE),
        "n2", node("n2", NodeState.NODE_STATE_READY, NodeAvailability.NODE_AVAILABILITY_ACTIVE),
        "n3", node("n3", NodeState.NODE_STATE_DOWN, NodeAvailability.NODE_AVAILABILITY_DRAIN));

    ClusterCounts counts = ClusterCounts.of(Map.of("web", web, "agent", agent), tasks, nodes);

    assertThat(counts.tasks()).containsExactlyInAnyOrderEntriesOf(Map.of(
        Map.entry("web", "running"), 1L, Map.entry("web", "pending"), 1L, Map.entry("web", "shutdown"), 1L,
        Map.entry("agent", "running"), 1L, Map.entry("agent", "starting"), 1L));
    assertThat(counts.desired()).isEqualTo(Map.of("web", 3L, "agent", 2L));
    assertThat(counts.running()).isEqualTo(Map.of("web", 1L, "agent", 1L));
    assertThat(counts.pending()).isEqualTo(Map.of(Map.entry("web", "no suitable node"), 1L));
    assertThat(counts.nodes()).isEqualTo(Map.of(
        Map.entry("ready", "active"), 2L, Map.entry("down", "drain"), 1L));
  }

  @Test
  void aReasonIsItsGeneralPartAndBounded() {
    assertThat(ClusterCounts.reason("")).isEqualTo("unknown");
    assertThat(ClusterCounts.reason("no address left on network front")).isEqualTo("no address left on network front");
    assertThat(ClusterCounts.reason("x".repeat(200))).hasSize(ClusterCounts.MAX_REASON);
  }
}
