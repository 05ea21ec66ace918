package io.shoal.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.NodeStatus;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code shoal node rm [-f]}: Docker's words, one line per failure, the others go on. */
class NodeRmCommandTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  private void node(String id, String hostname, NodeState state) {
    cli.control().addNode(Node.newBuilder().setId(id)
        .setDescription(NodeDescription.newBuilder().setHostname(hostname))
        .setStatus(NodeStatus.newBuilder().setState(state)).build());
  }

  @Test
  void aDownNodeIsRemovedAndALiveOneNeedsForce() {
    node("n1", "down-1", NodeState.NODE_STATE_DOWN);
    node("n2", "live-2", NodeState.NODE_STATE_READY);

    Result r = cli.run("node", "rm", "down-1", "live-2");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.outLines()).containsExactly("down-1");
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).contains("node live-2 is not down and can't be removed");

    Result forced = cli.run("node", "rm", "--force", "live-2");
    assertThat(forced.exitCode()).isZero();
    assertThat(forced.outLines()).containsExactly("live-2");
  }
}
