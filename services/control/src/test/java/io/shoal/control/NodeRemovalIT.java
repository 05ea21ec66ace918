package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.DeleteNodeRequest;
import io.shoal.api.v1.GetNodeRequest;
import io.shoal.api.v1.ListNodesRequest;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.NodeStatus;
import io.shoal.api.v1.RevokedNode;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * `node rm` on a real etcd: a live node only with --force; the spec goes and the revocation is
 * written in one transaction; a removed node is not found, and its registration (until the
 * dispatcher drops it) gets no spec again.
 */
class NodeRemovalIT {
  @RegisterExtension final InProcessControl cluster = new InProcessControl();
  private final EtcdStore store = cluster.store;
  private final ControlServiceGrpc.ControlServiceBlockingStub control = cluster.stub;

  private void register(String id, String hostname, NodeState state) {
    store.txn().create(Tables.NODE_REGISTRATIONS, id, NodeRegistration.newBuilder().setId(id)
        .setDescription(NodeDescription.newBuilder().setHostname(hostname))
        .setStatus(NodeStatus.newBuilder().setState(state)).build()).commit();
    new NodeSpecCreator(store.writingAs(Writer.CONTROL)).create(store.get(Tables.NODE_REGISTRATIONS, id).orElseThrow());
  }

  private void remove(String node, boolean force) {
    control.deleteNode(DeleteNodeRequest.newBuilder().setNode(node).setForce(force).build());
  }

  @Test
  void aReadyNodeIsRemovedOnlyWithForce() {
    register("n1ready", "node-1", NodeState.NODE_STATE_READY);

    assertThatThrownBy(() -> remove("node-1", false)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(e.getStatus().getDescription()).startsWith("node node-1 is not down and can't be removed; use"
          + " `shoal node rm --force node-1`");
    });
    assertThat(store.get(Tables.REVOKED_NODES, "n1ready")).isEmpty();

    remove("node-1", true);

    assertThat(store.get(Tables.NODES, "n1ready")).isEmpty();
    RevokedNode revoked = store.get(Tables.REVOKED_NODES, "n1ready").orElseThrow();
    assertThat(revoked.getHostname()).isEqualTo("node-1");
    assertThat(revoked.hasRevokeTime()).isTrue();
  }

  @Test
  void aDownNodeIsRemovedAndIsNotFoundAnyMore() {
    register("n2down", "node-2", NodeState.NODE_STATE_DOWN);

    remove("n2down", false);

    assertThatThrownBy(() -> control.getNode(GetNodeRequest.newBuilder().setNode("n2down").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThat(control.listNodes(ListNodesRequest.getDefaultInstance()).getNodesList()).isEmpty();
    assertThatThrownBy(() -> remove("n2down", true)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void aRemovedNodesRegistrationGetsNoSpecAgain() {
    register("n3gone", "node-3", NodeState.NODE_STATE_DOWN);
    remove("node-3", false);

    new NodeSpecCreator(store.writingAs(Writer.CONTROL))
        .create(store.get(Tables.NODE_REGISTRATIONS, "n3gone").orElseThrow());

    assertThat(store.get(Tables.NODES, "n3gone")).isEmpty();
  }
}
