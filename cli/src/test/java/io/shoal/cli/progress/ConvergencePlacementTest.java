package io.shoal.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeSpec;
import io.shoal.api.v1.Placement;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.cli.testing.Fixtures;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A placement-only change leaves a task up to date while its node still fits (the scheduler's rule). */
class ConvergencePlacementTest {
  static final Node EAST = Node.newBuilder().setId("n1")
      .setSpec(NodeSpec.newBuilder().putLabels("zone", "east"))
      .setDescription(NodeDescription.newBuilder().setHostname("node-1").setOs("linux")).build();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "node.labels.zone==east|true",
      "node.labels.zone==EAST|true",
      "node.labels.zone!=east|false",
      "node.labels.zone==west|false",
      "node.labels.rack!=r1|true",
      "node.hostname==node-1;node.platform.os==linux|true",
      "node.role==manager|false",
  })
  void placementOnlyChange(String constraints, boolean upToDate) {
    ServiceSpec before = Fixtures.replicated("web", "img:1", 1);
    ServiceSpec after = before.toBuilder().setPlacement(Placement.newBuilder()
        .addAllConstraints(Arrays.asList(constraints.split(";")))).build();
    Task t = Task.newBuilder().setNodeId("n1").setSpec(before).build();

    assertThat(Convergence.upToDate(t, after, Map.of("n1", EAST))).isEqualTo(upToDate);
  }
}
