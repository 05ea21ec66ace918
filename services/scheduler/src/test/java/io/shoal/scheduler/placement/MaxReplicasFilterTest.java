package io.shoal.scheduler.placement;

import static io.shoal.scheduler.placement.FilterFixtures.node;
import static io.shoal.scheduler.placement.FilterFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.Placement;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaxReplicasFilterTest {
  private final MaxReplicasFilter filter = new MaxReplicasFilter();

  @ParameterizedTest(name = "max {0}, {1} of the service and {2} others on the node -> {3}")
  @CsvSource({"0, 5, 0, true", "1, 0, 3, true", "1, 1, 0, false", "2, 1, 5, true", "2, 2, 0, false",
      // uint64: 2^32, 2^63 and 2^64-1 (the last two read negative) are limits no node reaches.
      "4294967296, 5, 0, true", "-9223372036854775808, 5, 0, true", "-1, 5, 0, true"})
  void countsOnlyTheServicesTasks(long max, int same, int others, boolean fits) {
    Placement p = Placement.newBuilder().setMaxReplicas(max).build();
    NodeInfo n = node("n1", Map.of(), 0, 0);
    for (int i = 0; i < same; i++) {
      n.add(task("web", p, 0, 0));
    }
    for (int i = 0; i < others; i++) {
      n.add(task("other", Placement.getDefaultInstance(), 0, 0));
    }

    assertThat(!filter.appliesTo(task("web", p, 0, 0)) || filter.check(task("web", p, 0, 0), n)).isEqualTo(fits);
    assertThat(filter.explain(1)).isEqualTo("max replicas per node limit exceed on 1 node");
  }
}
