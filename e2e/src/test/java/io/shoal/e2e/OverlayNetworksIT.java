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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Overlay networks on the lab (issue #11): tasks on different hosts reach each other by service
 * name over VXLAN, through the service's VIP or by {@code tasks.NAME}; other networks cannot.
 *
 * <p>HTTP inside tasks goes through busybox's {@code nc} with a hand-written request: Debian's
 * busybox-static {@code wget} segfaults on this machine (on the host as in containers).
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class, SharedClusterExtension.class})
class OverlayNetworksIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** Serves its own container's hostname, so each answer names its task; stops at once on SIGTERM. */
  private static final String SERVE_HOSTNAME =
      "hostname > /www/index.html; trap 'exit 0' TERM; httpd -f -p 80 -h /www & wait";
  /** Waits, and stops at once on SIGTERM (a shell as PID 1 would ignore it for the grace period). */
  private static final String IDLE = "trap 'exit 0' TERM; sleep 100000 & wait";
  private static final Pattern ADDRESS = Pattern.compile("Address(?: \\d+)?:\\s+(\\d+\\.\\d+\\.\\d+\\.\\d+)");

  private DockerTestEngine docker;
  private RegistryTestServer registry;
  private LocalCluster cluster;

  @BeforeEach
  void start(Lab lab, DockerTestEngine docker, RegistryTestServer local, LocalCluster shared) {
    this.docker = docker;
    registry = lab.registry(local);
    cluster = shared;
  }

  @AfterEach
  void stop() {
    cluster.clear();
  }

  private String shoal(String... args) {
    return cluster.succeed(args);
  }

  private String image(String tag) {
    TestImages.busybox(registry, "e2e/overlay:" + tag).file("/www/index.html", "not started\n").push(docker);
    return registry.image("e2e/overlay:" + tag);
  }

  @Test
  void servicesOnOneNetworkTalkByNameAcrossHostsAndAnotherNetworkCannot() {
    String image = image("talk");
    int port = ExternalProcess.freePort();
    shoal("network", "create", "--driver", "overlay", "talk-net");
    shoal("network", "create", "--internal", "talk-other");
    // Published through the routing mesh and on a network at once.
    shoal("service", "create", "--name", "talk-api", "--replicas", "2", "--network", "talk-net",
        "--publish", port + ":80", "--constraint", "node.hostname==h1", image, "sh", "-c", SERVE_HOSTNAME);
    shoal("service", "create", "--name", "talk-client", "--network", "talk-net",
        "--constraint", "node.hostname==h2", image, "sh", "-c", IDLE);
    shoal("service", "create", "--name", "talk-outsider", "--network", "talk-other",
        "--constraint", "node.hostname==h3", image, "sh", "-c", SERVE_HOSTNAME);
    Container client = onlyContainer("talk-client");
    Container outsider = onlyContainer("talk-outsider");
    Set<String> apiHostnames = hostnames("talk-api");
    assertThat(client.host().name()).isEqualTo("h2");

    // By the service's name: its VIP, balanced over both tasks on h1.
    Set<String> answered = new HashSet<>();
    await().atMost(WAIT).untilAsserted(() -> {
      answered.add(httpGet(client, "talk-api"));
      assertThat(answered).containsAll(apiHostnames);
    });
    // tasks.NAME: both task addresses; the name alone: the VIP, not a task.
    List<String> taskAddresses = lookup(client, "tasks.talk-api");
    assertThat(taskAddresses).hasSize(2);
    assertThat(lookup(client, "talk-api")).hasSize(1).doesNotContainAnyElementsOf(taskAddresses);
    // The mesh still serves the published port on a host without a task.
    Set<String> throughMesh = new HashSet<>();
    await().atMost(WAIT).untilAsserted(() -> {
      throughMesh.addAll(LocalCluster.ask(cluster.host("h3"), port));
      assertThat(throughMesh).containsAll(apiHostnames);
    });
    // Names outside the cluster go to the host's resolver.
    assertThat(lookup(client, DnsUpstream.NAME)).containsExactly(DnsUpstream.ADDRESS);

    // Another network: no name, and no path to the addresses either, both ways.
    assertThat(lookup(outsider, "talk-api")).isEmpty();
    assertThat(exec(outsider, "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + taskAddresses.get(0) + " 80")
        .stdout()).doesNotContain("HTTP/1");
    String outsiderAddress = lookup(outsider, "tasks.talk-outsider").get(0);
    assertThat(exec(client, "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + outsiderAddress + " 80")
        .stdout()).doesNotContain("HTTP/1");
    // --internal: no route out of the cluster; the other network has one.
    String outside = "printf 'GET /v2/ HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + registry.address().replace(":", " ");
    assertThat(exec(client, outside).stdout()).contains("HTTP/1");
    assertThat(exec(outsider, outside).stdout()).doesNotContain("HTTP/1");

    // Removing a network in use is refused, naming the service.
    Commands.Result rm = cluster.shoal("network", "rm", "talk-net");
    assertThat(rm.ok()).isFalse();
    assertThat(rm.stderr()).contains("talk-api");
  }

  @Test
  void theSeedsSequenceAddsAndTakesAwayTheName() {
    String image = image("seed");
    shoal("network", "create", "--driver", "overlay", "my-network");
    shoal("service", "create", "--replicas", "3", "--network", "my-network", "--name", "my-web",
        image, "sh", "-c", SERVE_HOSTNAME);
    shoal("service", "create", "--name", "other", image, "sh", "-c", IDLE);
    assertThat(exec(onlyContainer("other"), "nslookup my-web").stdout()).doesNotContain("Address: 10.");

    shoal("service", "update", "--network-add", "my-network", "other");
    Container other = onlyContainer("other");
    Set<String> webHostnames = hostnames("my-web");
    Set<String> answered = new HashSet<>();
    await().atMost(WAIT).untilAsserted(() -> {
      answered.add(httpGet(other, "my-web"));
      assertThat(answered).containsAll(webHostnames);
    });

    shoal("service", "update", "--network-rm", "my-network", "my-web");
    await().atMost(WAIT).untilAsserted(() -> assertThat(lookup(other, "my-web")).isEmpty());
    assertThat(exec(other, "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 my-web 80").stdout())
        .doesNotContain("HTTP/1");
  }

  @Test
  void scalingChangesTasksNameAndAliasesAndDnsrrAnswerWithTasks() {
    String image = image("scale");
    shoal("network", "create", "scale-net");
    shoal("service", "create", "--name", "scale-api", "--network", "name=scale-net,alias=scale-alias",
        image, "sh", "-c", SERVE_HOSTNAME);
    shoal("service", "create", "--name", "scale-rr", "--endpoint-mode", "dnsrr", "--replicas", "2",
        "--network", "scale-net", image, "sh", "-c", SERVE_HOSTNAME);
    shoal("service", "create", "--name", "scale-client", "--network", "scale-net", image, "sh", "-c", IDLE);
    Container client = onlyContainer("scale-client");
    assertThat(lookup(client, "tasks.scale-api")).hasSize(1);

    shoal("service", "scale", "scale-api=3");
    await().atMost(WAIT).untilAsserted(() -> assertThat(lookup(client, "tasks.scale-api")).hasSize(3));
    Set<String> answered = new HashSet<>();
    await().atMost(WAIT).untilAsserted(() -> {
      answered.add(httpGet(client, "scale-api"));
      assertThat(answered).containsAll(hostnames("scale-api"));
    });

    // An alias answers as the name does.
    assertThat(lookup(client, "scale-alias")).isEqualTo(lookup(client, "scale-api")).hasSize(1);
    assertThat(lookup(client, "tasks.scale-alias")).hasSize(3);

    // dnsrr: the name itself gives the tasks' addresses.
    assertThat(lookup(client, "scale-rr")).containsExactlyInAnyOrderElementsOf(lookup(client, "tasks.scale-rr"))
        .hasSize(2);
  }

  @Test
  void anAgentThatRestartsKeepsItsTasksNetworkedAndFollowsChangesAgain() {
    String image = image("restart");
    shoal("network", "create", "restart-net");
    shoal("service", "create", "--name", "restart-api", "--network", "restart-net",
        "--constraint", "node.hostname==h1", image, "sh", "-c", SERVE_HOSTNAME);
    shoal("service", "create", "--name", "restart-client", "--network", "restart-net",
        "--constraint", "node.hostname==h2", image, "sh", "-c", IDLE);
    Container client = onlyContainer("restart-client");
    Set<String> first = hostnames("restart-api");
    await().atMost(WAIT).untilAsserted(() -> assertThat(httpGet(client, "restart-api")).isIn(first));

    // h2's agent dies and comes back: its running client is adopted, not recreated.
    Host h2 = cluster.host("h2");
    cluster.killAgent(h2);
    cluster.startAgent(h2);
    cluster.awaitReadyNodes(WAIT);
    assertThat(onlyContainer("restart-client").id()).isEqualTo(client.id());

    // A change after the restart reaches the adopted task: the new tasks are behind the VIP.
    shoal("service", "scale", "restart-api=3");
    Set<String> all = hostnames("restart-api");
    assertThat(all).hasSize(3);
    Set<String> answered = new HashSet<>();
    await().atMost(WAIT).untilAsserted(() -> {
      answered.add(httpGet(client, "restart-api"));
      assertThat(answered).as(() -> "answers through the VIP; the cluster:\n" + cluster.logs()).containsAll(all);
    });
    assertThat(lookup(client, "tasks.restart-api")).hasSize(3);
  }

  @Test
  void nothingIsLeftOnAnyHostOnceServicesAndNetworksAreRemoved() {
    String image = image("gone");
    shoal("network", "create", "gone-net");
    shoal("service", "create", "--name", "gone-web", "--replicas", "3", "--network", "gone-net",
        "--stop-grace-period", "1s", image, "sh", "-c", SERVE_HOSTNAME);
    for (Host host : cluster.hosts) {
      withLogs(() -> await().atMost(WAIT).untilAsserted(() -> assertThat(LocalCluster.overlayDevices(host))
          .as("the bridge and VXLAN device of gone-net on %s", host.name()).hasSize(2)));
    }

    shoal("service", "rm", "gone-web");
    shoal("network", "rm", "gone-net");

    for (Host host : cluster.hosts) {
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(LocalCluster.overlayDevices(host)).isEmpty();
        assertThat(LocalCluster.overlayNetworks(host)).isEmpty();
        assertThat(Commands.run(host.command(List.of("iptables-save"))).orThrow()).doesNotContain("shl");
      });
    }
  }

  /** Runs {@code check}; when it fails, the failure carries the cluster's logs. */
  private void withLogs(Runnable check) {
    try {
      check.run();
    } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\ncluster logs:\n" + cluster.logs(), e);
    }
  }

  /** The one running container of service {@code name}, once its task runs. */
  private Container onlyContainer(String name) {
    String id = cluster.serviceId(name);
    List<Container> running = new ArrayList<>();
    await().atMost(WAIT).untilAsserted(() -> {
      running.clear();
      cluster.containers(id).stream().filter(c -> c.tryInspect("{{.State.Running}}").stdout().strip().equals("true"))
          .forEach(running::add);
      assertThat(running).hasSize(1);
    });
    return running.get(0);
  }

  /** The hostnames of the service's running containers. */
  private Set<String> hostnames(String name) {
    String id = cluster.serviceId(name);
    Set<String> names = new HashSet<>();
    for (Container c : cluster.containers(id)) {
      if (c.tryInspect("{{.State.Running}}").stdout().strip().equals("true")) {
        names.add(c.inspect("{{.Config.Hostname}}"));
      }
    }
    return names;
  }

  private static Commands.Result exec(Container container, String script) {
    return container.host().engine().tryDocker("exec", container.id(), "sh", "-c", script);
  }

  /** The body of {@code GET /} on {@code target}:80 from inside {@code from}. */
  private static String httpGet(Container from, String target) {
    String out = exec(from, "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + target + " 80").stdout();
    String[] parts = out.split("\r\n\r\n", 2);
    return parts.length == 2 ? parts[1].strip() : "";
  }

  /** The addresses {@code name} resolves to inside {@code from} (busybox nslookup, its resolver). */
  private static List<String> lookup(Container from, String name) {
    String out = exec(from, "nslookup " + name).stdout();
    // The first "Address" is the server's own.
    String answers = out.contains("Name:") ? out.substring(out.indexOf("Name:")) : "";
    List<String> found = new ArrayList<>();
    Matcher m = ADDRESS.matcher(answers);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }
}
