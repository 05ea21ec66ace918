package io.shoal.scheduler.placement;

import static io.shoal.scheduler.placement.FilterFixtures.node;
import static io.shoal.scheduler.placement.FilterFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.Placement;
import io.shoal.api.v1.PlacementPreference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpreadPreferenceTest {
  static Placement spread(String... labels) {
    Placement.Builder p = Placement.newBuilder();
    for (String l : labels) {
      p.addPreferences(PlacementPreference.newBuilder().setSpread("node.labels." + l));
    }
    return p.build();
  }

  /**
   * Zones east (e1, e2: 2 tasks on e1) and west (w1: 1 task), racks r1/r2; a node without the
   * zone label (x1: 0 tasks) is its own group.
   */
  @ParameterizedTest(name = "spread {0}: {1} vs {2} -> {3}")
  @CsvSource({
      "zone, w1, e2, -1",      // west holds 1 task, east 2
      "zone, e1, e2, 0",       // same group
      "zone, x1, w1, -1",      // the unlabelled group holds none
      "zone;rack, e2, e1, -1", // same zone; rack r2 holds none, r1 holds 2
      "'', w1, e2, 0",         // no preference
  })
  void prefersTheGroupWithFewestTasksOfTheService(String labels, String a, String b, int sign) {
    Map<String, NodeInfo> nodes = Map.of(
        "e1", node("e1", Map.of("zone", "east", "rack", "r1"), 0, 0),
        "e2", node("e2", Map.of("zone", "east", "rack", "r2"), 0, 0),
        "w1", node("w1", Map.of("zone", "west", "rack", "r1"), 0, 0),
        "x1", node("x1", Map.of(), 0, 0));
    Placement p = labels.isEmpty() ? Placement.getDefaultInstance() : spread(labels.split(";"));
    nodes.get("e1").add(task("web", p, 0, 0));
    nodes.get("e1").add(task("web", p, 0, 0));
    nodes.get("w1").add(task("web", p, 0, 0));
    nodes.get("x1").add(task("other", p, 0, 0));

    SpreadPreference s = SpreadPreference.of(task("web", p, 0, 0), List.copyOf(nodes.values()));

    assertThat(Integer.signum(s.compare(nodes.get(a), nodes.get(b)))).isEqualTo(sign);
  }
}
