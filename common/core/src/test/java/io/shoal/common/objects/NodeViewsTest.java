package io.shoal.common.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.NodeSpec;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.NodeStatus;
import org.junit.jupiter.api.Test;

class NodeViewsTest {
  private static final Timestamp JOINED = Timestamp.newBuilder().setSeconds(1_700_000_000).build();
  private static final NodeRegistration REGISTERED = NodeRegistration.newBuilder().setId("n1").setVersion(40)
      .setDescription(NodeDescription.newBuilder().setHostname("h1"))
      .setStatus(NodeStatus.newBuilder().setState(NodeState.NODE_STATE_READY)).setCreateTime(JOINED).build();

  @Test
  void theRegistrationIsLaidOverTheSpecAndTheVersionIsTheSpecs() {
    Node spec = NodeViews.newNode(REGISTERED).toBuilder().setVersion(12)
        .setSpec(NodeSpec.newBuilder().setAvailability(NodeAvailability.NODE_AVAILABILITY_DRAIN)).build();

    Node node = NodeViews.merge(spec, REGISTERED);

    assertThat(node).isEqualTo(Node.newBuilder().setId("n1").setVersion(12)
        .setSpec(NodeSpec.newBuilder().setAvailability(NodeAvailability.NODE_AVAILABILITY_DRAIN))
        .setDescription(REGISTERED.getDescription()).setStatus(REGISTERED.getStatus()).setCreateTime(JOINED).build());
  }

  @Test
  void aNodeWithNoSpecYetHasSwarmsDefaultAndVersionZero() {
    Node node = NodeViews.merge(null, REGISTERED);

    assertThat(node.getSpec().getAvailability()).isEqualTo(NodeAvailability.NODE_AVAILABILITY_ACTIVE);
    assertThat(node.getVersion()).isZero();
    assertThat(node.getCreateTime()).isEqualTo(JOINED);
    assertThat(node.getStatus().getState()).isEqualTo(NodeState.NODE_STATE_READY);
  }

  @Test
  void aSpecWithNoRegistrationIsShownAsStored() {
    Node stored = Node.newBuilder().setId("n2").setVersion(3).setSpec(NodeViews.DEFAULT_SPEC).build();

    assertThat(NodeViews.merge(stored, null)).isEqualTo(stored);
    assertThatThrownBy(() -> NodeViews.merge(null, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
