package io.shoal.scheduler.placement;

import static io.shoal.scheduler.placement.FilterFixtures.node;
import static io.shoal.scheduler.placement.FilterFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.Placement;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConstraintFilterTest {
  private final ConstraintFilter filter = new ConstraintFilter();
  private final NodeInfo east = node("n1", Map.of("zone", "east"), 0, 0);

  @ParameterizedTest(name = "{0} -> applies {1}, passes {2}")
  @CsvSource(delimiter = '|', value = {
      "''|false|true",
      "node.labels.zone==east|true|true",
      "node.labels.zone!=east|true|false",
      "node.labels.zone==east;node.hostname==n1|true|true",
      "node.labels.zone==east;node.hostname==n2|true|false",
      "node.role==worker;node.platform.os==linux|true|true",
  })
  void checksEveryConstraint(String constraints, boolean applies, boolean passes) {
    Placement.Builder p = Placement.newBuilder();
    if (!constraints.isEmpty()) {
      p.addAllConstraints(Arrays.asList(constraints.split(";")));
    }
    var t = task("web", p.build(), 0, 0);

    assertThat(filter.appliesTo(t)).isEqualTo(applies);
    if (applies) {
      assertThat(filter.check(t, east)).isEqualTo(passes);
    }
  }

  @ParameterizedTest
  @CsvSource({"1, scheduling constraints not satisfied on 1 node", "3, scheduling constraints not satisfied on 3 nodes"})
  void explainsInSwarmsWords(int nodes, String why) {
    assertThat(filter.explain(nodes)).isEqualTo(why);
  }
}
