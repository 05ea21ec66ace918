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
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendChooserTest {
  private static final PortKey KEY = PortKey.tcp(8080);

  private final BackendConnections connections = new BackendConnections(Duration.ofSeconds(10));
  private final BackendChooser chooser = new BackendChooser(connections);
  private final PublishedPort port = new PublishedPort(KEY, new PortStats(KEY));

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
    List<Integer> picks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      picks.add(chooser.first(route, port));
    }
    return picks;
  }

  @Test
  void roundRobinCyclesWhateverTheLoad() {
    open("a", 5);

    assertThat(picks(route(LoadBalancing.LOAD_BALANCING_ROUND_ROBIN, "a", "b", "c"), 6))
        .containsExactly(0, 1, 2, 0, 1, 2);
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
