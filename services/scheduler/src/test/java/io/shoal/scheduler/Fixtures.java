package io.shoal.scheduler;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.NodeSpec;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.NodeStatus;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.ids.Ids;
import io.shoal.common.objects.ServiceViews;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.scheduler.network.AddressAllocator;
import io.shoal.scheduler.orchestrator.GlobalOrchestrator;
import io.shoal.scheduler.orchestrator.ReplicatedOrchestrator;
import io.shoal.scheduler.orchestrator.RestartSupervisor;
import io.shoal.scheduler.orchestrator.TaskFactory;
import io.shoal.scheduler.orchestrator.TaskReaper;
import io.shoal.scheduler.orchestrator.UpdateSupervisor;
import io.shoal.scheduler.placement.PlacementPlugins;
import io.shoal.scheduler.placement.Placer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Small builders for scheduler tests. */
final class Fixtures {
  private Fixtures() {}

  /** The reconciler as the scheduler wires it, every placement plugin on, with the test's clock. */
  static Reconciler reconciler(Clock clock, int historyLimit) {
    TaskFactory factory = new TaskFactory(clock, Ids::newId);
    RestartSupervisor restarts = new RestartSupervisor(clock);
    UpdateSupervisor updates = new UpdateSupervisor(clock);
    return new Reconciler(new ReplicatedOrchestrator(factory, restarts, updates),
        new GlobalOrchestrator(factory, restarts, updates), new TaskReaper(historyLimit),
        new Placer(PlacementPlugins.filters(Set.of()), PlacementPlugins.preferences(Set.of()), factory::now),
        new AddressAllocator(factory::now));
  }

  static Service service(String id, long replicas) {
    return Service.newBuilder().setId(id).setSpec(ServiceSpec.newBuilder().setName(id)
        .setContainer(ContainerSpec.newBuilder().setImage("img:1"))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(replicas))).build();
  }

  static Service withHostPort(Service s, int port) {
    return s.toBuilder().setSpec(s.getSpec().toBuilder().setEndpoint(EndpointSpec.newBuilder().addPorts(
        PortConfig.newBuilder().setProtocol(Protocol.PROTOCOL_TCP).setTargetPort(80).setPublishedPort(port)
            .setPublishMode(PublishMode.PUBLISH_MODE_HOST)))).build();
  }

  static Node node(String id, NodeState state) {
    return Node.newBuilder().setId(id).setStatus(NodeStatus.newBuilder().setState(state))
        .setSpec(NodeSpec.newBuilder().setAvailability(NodeAvailability.NODE_AVAILABILITY_ACTIVE)).build();
  }

  static Node ready(String id) {
    return node(id, NodeState.NODE_STATE_READY);
  }

  /** A READY node as the dispatcher registers it (control has not given it a spec yet). */
  static NodeRegistration registration(String id) {
    return NodeRegistration.newBuilder().setId(id)
        .setStatus(NodeStatus.newBuilder().setState(NodeState.NODE_STATE_READY)).build();
  }

  /** A service as the scheduler reads it: control's key with the scheduler's status about it. */
  static Service read(EtcdStore store, String id) {
    return ServiceViews.withStatus(store.get(Tables.SERVICES, id).orElseThrow(), store.get(Tables.SERVICE_STATUS, id));
  }

  static Task task(String id, Service s, long slot, String node, TaskState state, long createdAt) {
    return Task.newBuilder().setId(id).setServiceId(s.getId()).setSlot(slot).setNodeId(node)
        .setSpec(s.getSpec()).setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(state))
        .setCreateTime(Timestamp.newBuilder().setSeconds(createdAt)).setVersion(1).build();
  }

  static ClusterView view(List<Service> services, List<Task> tasks, List<Node> nodes) {
    return new ClusterView(
        services.stream().collect(Collectors.toMap(Service::getId, Function.identity())),
        tasks.stream().collect(Collectors.toMap(Task::getId, Function.identity())),
        nodes.stream().collect(Collectors.toMap(Node::getId, Function.identity())));
  }

  static List<Node> nodes(Node... nodes) {
    return Arrays.asList(nodes);
  }

  /** Plan results keyed by what happened to each task. */
  static Map<String, List<Task>> summary(Plan plan) {
    Map<String, List<Task>> m = new HashMap<>();
    m.put("created", new ArrayList<>(plan.creates()));
    m.put("updated", new ArrayList<>(plan.updates()));
    m.put("deleted", new ArrayList<>(plan.deletes()));
    return m;
  }
}
