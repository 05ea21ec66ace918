package io.shoal.meshproxy.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.shoal.api.v1.LoadBalancing;
import io.shoal.api.v1.ProxyProtocol;
import io.shoal.meshproxy.metrics.PortStats;
import io.shoal.meshproxy.ports.PublishedPort;
import io.shoal.meshproxy.routes.Backend;
import io.shoal.meshproxy.routes.PortKey;
import io.shoal.meshproxy.routes.Route;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendChooserTest {
  private static final PortKey KEY = PortKey.tcp(8080);

  private final BackendConnections connections = new BackendConnections(Duration.ofSeconds(10));
  private final BackendChooser chooser = new BackendChooser(connections);
  private final PublishedPort port = new PublishedPort(KEY, new PortStats(KEY), 0);

  private static Route route(LoadBalancing lb, String... tasks) {
    List<Backend> backends = new ArrayList<>();
    for (int i = 0; i < tasks.length; i++) {
      backends.add(new Backend(tasks[i], new InetSocketAddress("127.0.0.1", 30000 + i)));
    }
    return new Route(KEY, "s1", "web", 80, backends, lb, ProxyProtocol.PROXY_PROTOCOL_NONE);
  }

  private void open(String task, int count) {
    for (int i = 0; i < count; i++) {
      connections.add(task, new EmbeddedChannel());
    }
  }

  private List<Integer> picks(Route route, int n) {
    return picks(route, port, n);
  }

  private List<Integer> picks(Route route, PublishedPort port, int n) {
    List<Integer> picks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      picks.add(chooser.first(route, port));
    }
    return picks;
  }

  /** A port as a proxy opens it, its rotation started by {@code starts}. */
  private static PublishedPort listener(RotationStarts starts) {
    return new PublishedPort(KEY, new PortStats(KEY), starts.next());
  }

  @Test
  void roundRobinCyclesWhateverTheLoad() {
    open("a", 5);

    assertThat(picks(route(LoadBalancing.LOAD_BALANCING_ROUND_ROBIN, "a", "b", "c"), 6))
        .containsExactly(0, 1, 2, 0, 1, 2);
  }

  @Test
  void proxiesOfDifferentNodesDoNotAllStartAtTheSameTask() {
    Route route = route(LoadBalancing.LOAD_BALANCING_ROUND_ROBIN, "a", "b", "c");
    Set<Integer> firstPicks = new HashSet<>();

    // Three nodes, each proxy with its own randomness (seeded: the test is repeatable).
    for (long node = 1; node <= 3; node++) {
      PublishedPort port = listener(new RotationStarts(new Random(node)));
      firstPicks.add(chooser.first(route, port));
    }

    assertThat(firstPicks).as("the first connection's task on each node").hasSizeGreaterThan(1);
  }

  @Test
  void rotationsStartEvenlyOverTheBackendsAndEachCycleReachesEveryOne() {
    Route route = route(LoadBalancing.LOAD_BALANCING_ROUND_ROBIN, "a", "b", "c");
    RotationStarts starts = new RotationStarts(new Random(42));
    int[] firstPicks = new int[3];

    for (int i = 0; i < 3000; i++) {
      List<Integer> cycle = picks(route, listener(starts), 3);
      assertThat(cycle).containsExactlyInAnyOrder(0, 1, 2);
      firstPicks[cycle.get(0)]++;
    }

    for (int count : firstPicks) {
      assertThat(count).as("first picks per backend %s", List.of(firstPicks[0], firstPicks[1],
          firstPicks[2])).isBetween(900, 1100);
    }
  }

  @Test
  void leastConnPicksTheTaskWithFewestOpenConnections() {
    open("a", 3);
    open("b", 1);
    open("c", 2);

    assertThat(picks(route(LoadBalancing.LOAD_BALANCING_LEAST_CONN, "a", "b", "c"), 3))
        .containsOnly(1);
  }

  @Test
  void leastConnAlternatesBetweenEquallyLoadedTasks() {
    open("a", 1);
    open("b", 1);
    open("c", 4);

    assertThat(picks(route(LoadBalancing.LOAD_BALANCING_LEAST_CONN, "a", "b", "c"), 4))
        .containsExactly(0, 1, 0, 1);
  }
}
