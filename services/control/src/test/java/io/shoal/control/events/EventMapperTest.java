package io.shoal.control.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.Event;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.NodeSpec;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.NodeStatus;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventMapperTest {
  private static final EventMapper.Names NAMES = new EventMapper.Names() {
    @Override
    public String service(String id) {
      return id.equals("s1") ? "web" : "";
    }

    @Override
    public String node(String id) {
      return id.equals("n1") ? "h1" : "";
    }
  };

  private static Service service(long replicas, String image) {
    return Service.newBuilder().setId("s1").setSpec(ServiceSpec.newBuilder().setName("web")
        .setReplicated(ReplicatedService.newBuilder().setReplicas(replicas))
        .setContainer(ContainerSpec.newBuilder().setImage(image))).build();
  }

  private static Task task(TaskState state, TaskState desired, String message) {
    return Task.newBuilder().setId("t1").setServiceId("s1").setServiceName("web").setSlot(2).setNodeId("n1")
        .setDesiredState(desired).setStatus(TaskStatus.newBuilder().setState(state).setMessage(message)).build();
  }

  private static Optional<Event> map(String table, Object before, Object after) {
    return EventMapper.map(table, table.equals("tasks") ? "t1" : table.startsWith("node") ? "n1" : "s1",
        (com.google.protobuf.Message) before, (com.google.protobuf.Message) after, NAMES).map(Event.Builder::build);
  }

  @Test
  void aServiceIsCreatedUpdatedWithWhatChangedAndRemoved() {
    assertThat(map("services", null, service(1, "a:1"))).hasValueSatisfying(e -> {
      assertThat(e.getType()).isEqualTo("service");
      assertThat(e.getAction()).isEqualTo("create");
      assertThat(e.getName()).isEqualTo("web");
      assertThat(e.getAttributesMap()).isEqualTo(Map.of("name", "web"));
    });
    assertThat(map("services", service(1, "a:1"), service(3, "a:1"))).hasValueSatisfying(e -> {
      assertThat(e.getAction()).isEqualTo("update");
      assertThat(e.getAttributesMap()).isEqualTo(Map.of("name", "web", "replicas.old", "1", "replicas.new", "3"));
    });
    assertThat(map("services", service(1, "a:1"), service(1, "a:2")).orElseThrow().getAttributesMap())
        .containsEntry("image.old", "a:1").containsEntry("image.new", "a:2");
    assertThat(map("services", service(1, "a:1"), null).orElseThrow().getAction()).isEqualTo("remove");
  }

  @Test
  void aServiceStoredAgainUnchangedIsNoEvent() {
    assertThat(map("services", service(1, "a:1"), service(1, "a:1").toBuilder().setVersion(9).build())).isEmpty();
  }

  @Test
  void anUpdateThatMovesOnIsAServiceEventNamedFromTheService() {
    ServiceStatus updating = ServiceStatus.newBuilder().setServiceId("s1")
        .setUpdateStatus(UpdateStatus.newBuilder().setState(UpdateState.UPDATE_STATE_UPDATING)).build();
    ServiceStatus done = ServiceStatus.newBuilder().setServiceId("s1").setUpdateStatus(UpdateStatus.newBuilder()
        .setState(UpdateState.UPDATE_STATE_COMPLETED).setMessage("update completed")).build();

    assertThat(map("service_status", updating, done)).hasValueSatisfying(e -> {
      assertThat(e.getType()).isEqualTo("service");
      assertThat(e.getName()).isEqualTo("web");
      assertThat(e.getAttributesMap()).containsEntry("updatestate.old", "updating")
          .containsEntry("updatestate.new", "completed").containsEntry("updatestate.message", "update completed");
    });
    assertThat(map("service_status", done, done.toBuilder().setReconcileError("x").build())).isEmpty();
  }

  @Test
  void aTaskIsAnEventWhenItsStateDesiredStateOrNodeMovesNotItsMessage() {
    Task running = task(TaskState.TASK_STATE_RUNNING, TaskState.TASK_STATE_RUNNING, "started");
    Task failed = task(TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_RUNNING, "failed")
        .toBuilder().setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_FAILED).setErr("exit 3")).build();

    assertThat(map("tasks", running, failed)).hasValueSatisfying(e -> {
      assertThat(e.getType()).isEqualTo("task");
      assertThat(e.getName()).isEqualTo("web.2");
      assertThat(e.getAttributesMap()).containsEntry("state.old", "running").containsEntry("state.new", "failed")
          .containsEntry("service", "web").containsEntry("node.id", "n1").containsEntry("error", "exit 3")
          .containsEntry("desired_state", "running");
    });
    assertThat(map("tasks", running, task(TaskState.TASK_STATE_RUNNING, TaskState.TASK_STATE_RUNNING, "other")))
        .isEmpty();
    assertThat(map("tasks", null, running).orElseThrow().getAction()).isEqualTo("create");
  }

  @Test
  void aGlobalTaskIsNamedByItsNode() {
    assertThat(EventMapper.taskName(Task.newBuilder().setServiceName("agent").setNodeId("n9").build()))
        .isEqualTo("agent.n9");
  }

  @Test
  void aNodeTurningDownOrDrainedIsAnUpdate() {
    NodeRegistration ready = NodeRegistration.newBuilder().setId("n1")
        .setDescription(NodeDescription.newBuilder().setHostname("h1"))
        .setStatus(NodeStatus.newBuilder().setState(NodeState.NODE_STATE_READY)).build();
    NodeRegistration down = ready.toBuilder().setStatus(NodeStatus.newBuilder()
        .setState(NodeState.NODE_STATE_DOWN).setMessage("heartbeat failure")).build();
    assertThat(map("node_registrations", ready, down)).hasValueSatisfying(e -> {
      assertThat(e.getType()).isEqualTo("node");
      assertThat(e.getName()).isEqualTo("h1");
      assertThat(e.getAttributesMap()).containsEntry("state.old", "ready").containsEntry("state.new", "down")
          .containsEntry("state.message", "heartbeat failure");
    });
    assertThat(map("node_registrations", ready, ready.toBuilder().setVersion(3).build())).isEmpty();

    Node active = Node.newBuilder().setId("n1").setSpec(NodeSpec.newBuilder()
        .setAvailability(NodeAvailability.NODE_AVAILABILITY_ACTIVE)).build();
    Node drained = active.toBuilder().setSpec(NodeSpec.newBuilder()
        .setAvailability(NodeAvailability.NODE_AVAILABILITY_DRAIN)).build();
    assertThat(map("nodes", active, drained)).hasValueSatisfying(e -> {
      assertThat(e.getName()).isEqualTo("h1");
      assertThat(e.getAttributesMap()).containsEntry("availability.old", "active")
          .containsEntry("availability.new", "drain");
    });
  }

  @Test
  void otherTablesMakeNoEvents() {
    assertThat(EventMapper.map("sessions", "n1", null, NodeRegistration.getDefaultInstance(), NAMES)).isEmpty();
  }
}
