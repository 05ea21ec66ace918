package io.shoal.scheduler;

import static io.shoal.scheduler.Fixtures.node;
import static io.shoal.scheduler.Fixtures.nodes;
import static io.shoal.scheduler.Fixtures.ready;
import static io.shoal.scheduler.Fixtures.service;
import static io.shoal.scheduler.Fixtures.view;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.scheduler.orchestrator.TaskFactory;
import io.shoal.scheduler.placement.PlacementPlugins;
import io.shoal.scheduler.placement.Placer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plugins a scheduler's flags turn off are left out of placement; the others work as before. */
class PluginSelectionTest {
  private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1000), ZoneOffset.UTC);
  private final Service web = service("web", 3);
  private final List<Node> nodes = nodes(ready("n1"), ready("n2"), node("n3", NodeState.NODE_STATE_DOWN));

  private List<String> placedOn(Set<String> disabledFilters, Set<String> disabledPreferences) {
    Plan plan = new Plan();
    List<Task> waiting = List.of(1, 2, 3).stream()
        .map(slot -> new TaskFactory(clock, () -> "t" + slot).newTask(web, slot, "")).toList();
    waiting.forEach(plan::create);
    new Placer(PlacementPlugins.filters(disabledFilters), PlacementPlugins.preferences(disabledPreferences),
        () -> Timestamp.newBuilder().setSeconds(1000).build())
        .place(view(List.of(web), List.of(), nodes), plan);
    return plan.creates().stream().map(Task::getNodeId).sorted().toList();
  }

  @Test
  void byDefaultTasksSpreadOverTheReadyNodes() {
    assertThat(placedOn(Set.of(), Set.of())).containsExactly("n1", "n1", "n2");
  }

  @Test
  void withoutTheSpreadingPreferencesTasksGoToTheFirstFittingNode() {
    assertThat(placedOn(Set.of(), Set.of("service-spread", "least-loaded"))).containsExactly("n1", "n1", "n1");
  }

  @Test
  void withoutTheReadyFilterADownNodeTakesTasks() {
    assertThat(placedOn(Set.of("ready"), Set.of())).containsExactly("n1", "n2", "n3");
  }
}
