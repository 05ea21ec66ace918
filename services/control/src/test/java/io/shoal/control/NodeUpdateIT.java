package io.shoal.control;

import io.shoal.control.limits.SpecLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.GetNodeRequest;
import io.shoal.api.v1.ListNodesRequest;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.NodeSpec;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.NodeStatus;
import io.shoal.api.v1.UpdateNodeRequest;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nodes on a real etcd: the dispatcher's registration (played here) and control's spec make one
 * node; control writes only the spec, guarded by the version read.
 */
class NodeUpdateIT {
  @RegisterExtension final InProcessControl cluster = new InProcessControl();
  private final EtcdStore store = cluster.store;
  private final ControlServiceGrpc.ControlServiceBlockingStub control = cluster.stub;

  @BeforeEach
  void start() {
    // As the dispatcher registers a node (control has not given it a spec yet).
    register("n1abc", "node-1");
  }

  private void register(String id, String hostname) {
    store.txn().create(Tables.NODE_REGISTRATIONS, id, NodeRegistration.newBuilder().setId(id)
        .setDescription(NodeDescription.newBuilder().setHostname(hostname))
        .setStatus(NodeStatus.newBuilder().setState(NodeState.NODE_STATE_READY)).build()).commit();
  }

  private Node get(String ref) {
    return control.getNode(GetNodeRequest.newBuilder().setNode(ref).build()).getNode();
  }

  private Node update(Node n, NodeSpec spec) {
    return control.updateNode(UpdateNodeRequest.newBuilder().setNodeId(n.getId()).setVersion(n.getVersion())
        .setSpec(spec).build()).getNode();
  }

  @Test
  void findsByIdHostnameOrPrefix() {
    assertThat(get("n1abc").getId()).isEqualTo("n1abc");
    assertThat(get("node-1").getId()).isEqualTo("n1abc");
    assertThat(get("n1").getId()).isEqualTo("n1abc");
    assertThatThrownBy(() -> get("node-9")).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(e.getStatus().getDescription()).isEqualTo("node node-9 not found");
    });
  }

  @Test
  void updateReplacesTheSpecAndKeepsWhatTheDispatcherWrote() {
    Node n = get("node-1");

    Node drained = update(n, NodeSpec.newBuilder().setAvailability(NodeAvailability.NODE_AVAILABILITY_DRAIN)
        .putLabels("zone", "east").build());

    Node stored = store.get(Tables.NODES, "n1abc").orElseThrow();
    assertThat(stored.getSpec().getAvailability()).isEqualTo(NodeAvailability.NODE_AVAILABILITY_DRAIN);
    assertThat(stored.getSpec().getLabelsMap()).containsEntry("zone", "east");
    assertThat(drained.getVersion()).isEqualTo(stored.getVersion());
    assertThat(drained.getStatus().getState()).isEqualTo(NodeState.NODE_STATE_READY);
    assertThat(drained.getDescription().getHostname()).isEqualTo("node-1");
    assertThat(get("n1abc")).isEqualTo(drained);
    assertThat(update(drained, NodeSpec.getDefaultInstance()).getSpec().getAvailability())
        .isEqualTo(NodeAvailability.NODE_AVAILABILITY_ACTIVE);
  }

  @Test
  void aStaleVersionIsAborted() {
    Node n = get("node-1");
    update(n, NodeSpec.newBuilder().setAvailability(NodeAvailability.NODE_AVAILABILITY_DRAIN).build());

    assertThatThrownBy(() -> update(n, NodeSpec.newBuilder().setAvailability(NodeAvailability.NODE_AVAILABILITY_PAUSE).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
          assertThat(e.getStatus().getDescription()).startsWith("node node-1 has changed since it was read");
        });
  }

  @Test
  void theNodesStatusIsTheDispatchersAndLeavesTheVersionAsItWas() {
    Node n = update(get("node-1"), NodeSpec.newBuilder().putLabels("zone", "east").build());
    var registration = store.get(Tables.NODE_REGISTRATIONS, "n1abc").orElseThrow();
    store.txn().update(Tables.NODE_REGISTRATIONS, "n1abc", registration.toBuilder().setStatus(NodeStatus.newBuilder()
        .setState(NodeState.NODE_STATE_DOWN)).build(), registration.getVersion()).commit();

    assertThat(get("node-1").getStatus().getState()).isEqualTo(NodeState.NODE_STATE_DOWN);
    Node paused = update(n, NodeSpec.newBuilder().setAvailability(NodeAvailability.NODE_AVAILABILITY_PAUSE).build());
    assertThat(paused.getSpec().getAvailability()).isEqualTo(NodeAvailability.NODE_AVAILABILITY_PAUSE);
    assertThat(paused.getStatus().getState()).isEqualTo(NodeState.NODE_STATE_DOWN);
  }

  @Test
  void controlGivesARegisteredNodeItsSpecAndListsIt() {
    try (NodeSpecCreator creator = new NodeSpecCreator(store.writingAs(Writer.CONTROL)).start()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Tables.NODES, "n1abc").isPresent());
      register("n2def", "node-2");
      await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Tables.NODES, "n2def").isPresent());
    }

    assertThat(store.get(Tables.NODES, "n2def").orElseThrow().getSpec().getAvailability())
        .isEqualTo(NodeAvailability.NODE_AVAILABILITY_ACTIVE);
    List<Node> listed = control.listNodes(ListNodesRequest.getDefaultInstance()).getNodesList();
    assertThat(listed).extracting(n -> n.getDescription().getHostname()).containsExactly("node-1", "node-2");
    assertThat(listed).allSatisfy(n -> {
      assertThat(n.getStatus().getState()).isEqualTo(NodeState.NODE_STATE_READY);
      assertThat(n).isEqualTo(get(n.getId()));
    });
  }

  @Test
  void anEmptyLabelKeyIsInvalid() {
    Node n = get("node-1");

    assertThatThrownBy(() -> update(n, NodeSpec.newBuilder().putLabels("", "x").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void labelsPastTheirLimitsAreInvalidArgumentNamingTheLimitAndChangeNothing() {
    Node n = get("node-1");
    NodeSpec.Builder many = NodeSpec.newBuilder();
    for (int i = 0; i <= SpecLimits.MAX_LABELS; i++) {
      many.putLabels("label-" + i, "x");
    }
    NodeSpec.Builder big = NodeSpec.newBuilder();
    for (int i = 0; i < 20; i++) {
      big.putLabels("label-" + i, "x".repeat(SpecLimits.MAX_LABEL_VALUE));
    }

    assertThatThrownBy(() -> update(n, many.build())).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getDescription()).isEqualTo("NodeSpec.labels: 129 entries; the limit is 128"));
    assertThatThrownBy(() -> update(n, NodeSpec.newBuilder().putLabels("zone", "x".repeat(4097)).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
            .isEqualTo("NodeSpec.labels[zone]: is 4097 characters long; the limit is 4096"));
    assertThatThrownBy(() -> update(n, big.build())).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getDescription()).startsWith("NodeSpec: is ")
            .contains("bytes encoded; the limit is 65536"));
    assertThat(get("n1abc")).isEqualTo(n);
    assertThat(store.get(Tables.NODES, "n1abc")).isEmpty();
  }
}
