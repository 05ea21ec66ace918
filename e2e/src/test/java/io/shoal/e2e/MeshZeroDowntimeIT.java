package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.e2e.LocalCluster.Container;
import io.shoal.testing.Commands;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.Lab;
import io.shoal.testing.Lab.Host;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Port publishing end to end on a real cluster of processes on a lab of hosts (each its own
 * dockerd), real etcd and registry: a start-first rolling update under a steady client load
 * through the routing mesh of every host, two of them forwarding to the one task on the third,
 * loses no request; --publish-add/--publish-rm roll the tasks and move the mesh's listeners;
 * host-mode ports are picked by each host's engine when not given, shown by {@code service ps},
 * and limit a published host port to one task per node.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class, SharedClusterExtension.class})
class MeshZeroDowntimeIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  // One cluster for the class: each test uses its own service names and ports, and starting
  // ten JVMs per test would triple the class's time.
  private static LocalCluster cluster;
  private static DockerTestEngine docker;
  private static RegistryTestServer registry;
  private static List<String> addresses;

  @BeforeAll
  static void start(Lab lab, DockerTestEngine engine, RegistryTestServer local, LocalCluster shared) {
    docker = engine;
    registry = lab.registry(local);
    cluster = shared;
    addresses = cluster.hosts.stream().map(Host::address).toList();
  }

  private String shoal(String... args) {
    return cluster.succeed(args);
  }

  /**
   * An httpd image answering {@code body}, under a tag of its own: the registry service caches a
   * tag's digest for 10 s, so re-pushing one tag with other content for the next test could
   * deploy the previous test's image.
   */
  private String webImage(String tag, String body) {
    TestImages.busybox(registry, "e2e/mesh-web:" + tag).file("/www/index.html", body).push(docker);
    return registry.image("e2e/mesh-web:" + tag);
  }

  private String create(String... args) {
    List<String> all = new ArrayList<>(List.of("service", "create", "--timeout", "2m"));
    all.addAll(List.of(args));
    shoal(all.toArray(String[]::new));
    String name = all.get(all.indexOf("--name") + 1);
    return cluster.serviceId(name);
  }

  @Test
  void aStartFirstRollingUpdateUnderLoadLosesNoRequest() throws Exception {
    String image = webImage("zd", "zero downtime\n");
    int port = ExternalProcess.freePort();
    // One replica: with stop-first there is a gap with no task (run with -Dzd.order=stop-first
    // to see this test fail); start-first has none.
    String id = create("--name", "zd", "--replicas", "1", "--publish", port + ":80",
        "--update-order", System.getProperty("zd.order", "start-first"),
        "--workdir", "/www", "--user", "0", "--init", image, "httpd", "-f", "-p", "80");
    for (String addr : addresses) {
      await().atMost(WAIT).until(() -> answers(addr, port));
    }
    List<Container> first = cluster.containers(id);
    assertThat(first).as("one task, so two hosts of three forward across the lab").hasSize(1);
    Set<String> before = taskIds(first);

    // About 100 requests a second on fresh connections, bounded in count and time.
    MeshLoad load = new MeshLoad(addresses, port, "zero downtime\n", 2, 20, 20_000, 180);
    try {
      shoal("service", "update", "--env-add", "ROLL=1", "--timeout", "2m", "zd");
      await().atMost(WAIT).untilAsserted(() -> {
        List<Container> now = cluster.containers(id);
        assertThat(now).hasSize(1);
        assertThat(taskIds(now)).doesNotContainAnyElementsOf(before);
      });
      int atConvergence = load.succeeded();
      // A little more load once the old tasks are gone, to see the table has only new ones.
      try {
        await().atMost(WAIT).until(() -> load.succeeded() >= atConvergence + 50);
      } catch (ConditionTimeoutException e) {
        throw new AssertionError((load.succeeded() - atConvergence) + " requests answered since "
            + "convergence; " + load.failures().size() + " failed in all, the last: "
            + last(load.failures(), 5) + "\ncluster logs:\n" + cluster.logs(), e);
      }
      load.stop();
    } finally {
      load.close();
    }

    assertThat(load.failures()).as("requests that failed during the update").isEmpty();
    assertThat(load.succeeded()).isGreaterThan(100);
    System.out.printf("e2e: %d requests through the mesh during a start-first update, 0 failed%n",
        load.succeeded());
  }

  @Test
  void publishAddAndRmRollTheTasksAndMoveTheMeshPort() throws Exception {
    String image = webImage("ports", "ports\n");
    int first = ExternalProcess.freePort();
    int second = ExternalProcess.freePort();
    String id = create("--name", "ports", "--replicas", "2", "--publish", first + ":80",
        "--workdir", "/www", "--user", "0", "--init", image, "httpd", "-f", "-p", "80");
    await().atMost(WAIT).until(() -> answers(addresses.get(0), first));
    Set<String> before = taskIds(cluster.containers(id));

    shoal("service", "update", "--publish-rm", String.valueOf(first), "--publish-add",
        second + ":80", "--timeout", "2m", "ports");

    assertThat(taskIds(cluster.containers(id)))
        .as("a port change rolls every task").doesNotContainAnyElementsOf(before);
    for (String addr : addresses) {
      await().atMost(WAIT).until(() -> answers(addr, second));
      await().atMost(WAIT).until(() -> !ExternalProcess.canConnect(addr, first));
    }
    assertThat(shoal("service", "ls")).contains("*:" + second + "->80/tcp")
        .doesNotContain("*:" + first + "->");

    // Another service cannot take the port: FAILED_PRECONDITION naming its owner.
    Commands.Result taken = cluster.shoal("service", "create", "--name", "thief", "-d",
        "--publish", second + ":80", image);
    assertThat(taken.ok()).isFalse();
    assertThat(taken.stderr()).contains("ports", "FAILED_PRECONDITION");
  }

  @Test
  void hostModePortsArePickedByTheNodeShownAndOnePerNode() throws Exception {
    String image = webImage("host", "host mode\n");
    String global = create("--name", "edge", "--mode", "global",
        "--publish", "mode=host,target=80", "--workdir", "/www", "--user", "0", "--init",
        image, "httpd", "-f", "-p", "80");

    // One task per node, each on a port its host's engine picked, shown by service ps.
    String ps = shoal("service", "ps", "edge");
    Matcher bound = Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+):(\\d+)->80/tcp").matcher(ps);
    Set<String> nodesWithPort = new HashSet<>();
    while (bound.find()) {
      int hostPort = Integer.parseInt(bound.group(2));
      assertThat(hostPort).isPositive();
      assertThat(answers(bound.group(1), hostPort)).as("%s:%d", bound.group(1), hostPort).isTrue();
      nodesWithPort.add(bound.group(1));
    }
    assertThat(nodesWithPort).as(ps).containsExactlyInAnyOrderElementsOf(addresses);
    String pretty = shoal("service", "inspect", "--pretty", "edge");
    bound.reset();
    while (bound.find()) {
      assertThat(pretty).as("inspect shows what ps shows").contains(bound.group());
    }
    assertThat(cluster.containers(global)).extracting(Container::host)
        .containsExactlyInAnyOrderElementsOf(cluster.hosts);

    // A published host port: one task per node, the extra one waits with a reason.
    int port = ExternalProcess.freePort();
    shoal("service", "create", "--name", "fixed", "-d", "--replicas", "4",
        "--publish", "published=" + port + ",target=80,mode=host",
        "--workdir", "/www", "--user", "0", "--init", image, "httpd", "-f", "-p", "80");
    cluster.serviceId("fixed");
    await().atMost(WAIT).untilAsserted(() -> {
      String fixed = shoal("service", "ps", "--no-trunc", "fixed");
      // DESIRED STATE then CURRENT STATE: "Running   Running 3 seconds ago".
      assertThat(Pattern.compile("Running\\s+Running").matcher(fixed).results().count())
          .as(fixed).isEqualTo(addresses.size());
      assertThat(fixed).contains("host-mode port already in use on 3 nodes");
    });
    for (String addr : addresses) {
      await().atMost(WAIT).until(() -> answers(addr, port));
    }
  }

  /** Whether {@code addr:port} answers an HTTP GET with 200 now. */
  private static boolean answers(String addr, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(addr, port), 2000);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
      String response = new String(socket.getInputStream().readAllBytes());
      return response.contains(" 200 ");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static List<String> last(List<String> all, int n) {
    return all.subList(Math.max(0, all.size() - n), all.size());
  }

  private static Set<String> taskIds(List<Container> containers) {
    Set<String> ids = new HashSet<>();
    for (Container c : containers) {
      ids.add(c.inspect("{{index .Config.Labels \"io.shoal.task.id\"}}"));
    }
    return ids;
  }
}
