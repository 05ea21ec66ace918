package io.shoal.cli.node;

import static io.shoal.api.v1.NodeAvailability.NODE_AVAILABILITY_ACTIVE;
import static io.shoal.api.v1.NodeAvailability.NODE_AVAILABILITY_DRAIN;
import static io.shoal.api.v1.NodeState.NODE_STATE_DOWN;
import static io.shoal.api.v1.NodeState.NODE_STATE_READY;
import static io.shoal.cli.testing.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.TableOutput;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NodeLsCommandTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  @Test
  void listsNodesByHostnameInDockersWords() {
    cli.control()
        .addNode(
            node("n3xxxxxxxxxxxxxxxxxxxxxxx", "node-3", NODE_STATE_DOWN, NODE_AVAILABILITY_ACTIVE));
    cli.control()
        .addNode(
            node(
                "n1xxxxxxxxxxxxxxxxxxxxxxx", "node-1", NODE_STATE_READY, NODE_AVAILABILITY_ACTIVE));
    cli.control()
        .addNode(
            node("n2xxxxxxxxxxxxxxxxxxxxxxx", "node-2", NODE_STATE_READY, NODE_AVAILABILITY_DRAIN));

    Result r = cli.run("node", "ls");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines().get(0))
        .isEqualTo("ID                          HOSTNAME   STATUS    AVAILABILITY");
    assertThat(TableOutput.rows(r.outLines(), "ID", "HOSTNAME", "STATUS", "AVAILABILITY"))
        .containsExactly(
            List.of("n1xxxxxxxxxxxxxxxxxxxxxxx", "node-1", "Ready", "Active"),
            List.of("n2xxxxxxxxxxxxxxxxxxxxxxx", "node-2", "Ready", "Drain"),
            List.of("n3xxxxxxxxxxxxxxxxxxxxxxx", "node-3", "Down", "Active"));
  }

  @Test
  void quietPrintsIds() {
    cli.control().addNode(node("n1", "node-1", NODE_STATE_READY, NODE_AVAILABILITY_ACTIVE));
    assertThat(cli.run("node", "ls", "-q").outLines()).containsExactly("n1");
  }
}
