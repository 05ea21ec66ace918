package io.shoal.cli.node;

import static io.shoal.api.v1.NodeAvailability.NODE_AVAILABILITY_ACTIVE;
import static io.shoal.api.v1.NodeState.NODE_STATE_READY;
import static io.shoal.cli.testing.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeSpec;
import io.shoal.api.v1.UpdateNodeRequest;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeUpdateAndInspectCommandTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  @BeforeEach
  void seed() {
    var n = node("n1xxxx", "node-1", NODE_STATE_READY, NODE_AVAILABILITY_ACTIVE);
    cli.control().addNode(n.toBuilder().setSpec(n.getSpec().toBuilder().putLabels("zone", "east")
        .putLabels("old", "x")).build());
  }

  @ParameterizedTest
  @CsvSource({"active, NODE_AVAILABILITY_ACTIVE", "pause, NODE_AVAILABILITY_PAUSE", "drain, NODE_AVAILABILITY_DRAIN"})
  void setsTheAvailability(String flag, NodeAvailability expected) {
    Result r = cli.run("node", "update", "--availability", flag, "node-1");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsExactly("node-1");
    UpdateNodeRequest sent = cli.control().nodeUpdates().get(0);
    assertThat(sent.getNodeId()).isEqualTo("n1xxxx");
    assertThat(sent.getSpec().getAvailability()).isEqualTo(expected);
    assertThat(sent.getSpec().getLabelsMap()).containsEntry("zone", "east");
  }

  @Test
  void addsAndRemovesLabelsKeepingTheRest() {
    Result r = cli.run("node", "update", "--label-add", "zone=west", "--label-add", "ssd=true",
        "--label-rm", "old", "node-1");

    assertThat(r.exitCode()).isZero();
    NodeSpec sent = cli.control().nodeUpdates().get(0).getSpec();
    assertThat(sent.getLabelsMap()).isEqualTo(Map.of("zone", "west", "ssd", "true"));
    assertThat(sent.getAvailability()).isEqualTo(NODE_AVAILABILITY_ACTIVE);
  }

  @Test
  void badValuesNameTheFlag() {
    assertThat(cli.run("node", "update", "--availability", "off", "node-1").err())
        .contains("--availability").contains("unknown availability \"off\" (use active, pause or drain)");
    assertThat(cli.run("node", "update", "--label-add", "novalue", "node-1").err())
        .contains("--label-add").contains("use KEY=VALUE");
    assertThat(cli.control().nodeUpdates()).isEmpty();
  }

  @Test
  void unknownNodeIsOneLine() {
    Result r = cli.run("node", "update", "--availability", "drain", "nope");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("node nope not found");
  }

  @Test
  void inspectPrintsJsonOrPretty() {
    Result json = cli.run("node", "inspect", "node-1");
    assertThat(json.exitCode()).isZero();
    assertThat(json.out()).contains("\"id\": \"n1xxxx\"").contains("\"zone\": \"east\"");

    Result pretty = cli.run("node", "inspect", "--pretty", "node-1");
    assertThat(pretty.out()).contains("ID:                 n1xxxx\n")
        .contains(" - zone=east\n").contains(" Availability:      Active\n");
  }

  @ParameterizedTest
  @CsvSource({"0, 0B", "512, 512B", "1536, 1.5KiB", "1073741824, 1GiB", "1610612736, 1.5GiB", "1048576000, 1000MiB"})
  void bytesInDockersUnits(long bytes, String shown) {
    assertThat(NodeInspectCommand.bytes(bytes)).isEqualTo(shown);
  }
}
