package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.e2e.LocalCluster.Container;
import io.shoal.e2e.LocalCluster.TaskRow;
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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hosts failing under a running cluster (issue #10, item 4), with the lab's faults: a host cut
 * off the network, a host whose dockerd restarts, and a host lost in the middle of a rolling
 * update. Every test repairs the lab's hosts and the cluster's parts when it ends, so the next
 * test (on the shared cluster, {@link SharedClusterExtension}) finds them whole.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class, SharedClusterExtension.class})
class HostFaultsIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** Serves its own container's hostname, so each answer through the mesh names its task. */
  private static final String SERVE_HOSTNAME = "hostname > /www/index.html && exec httpd -f -p 80 -h /www";

  private Lab lab;
  private DockerTestEngine docker;
  private RegistryTestServer registry;
  private LocalCluster cluster;
  private final List<Runnable> repairs = new ArrayList<>();

  @BeforeEach
  void start(Lab lab, DockerTestEngine docker, RegistryTestServer local, LocalCluster shared) {
    this.lab = lab;
    this.docker = docker;
    registry = lab.registry(local);
    cluster = shared;
  }

  @AfterEach
  void stop() {
    for (int i = repairs.size() - 1; i >= 0; i--) {
      repairs.get(i).run();
    }
    // The next test, and the next class, find the shared cluster whole and empty.
    cluster.awaitReadyNodes(WAIT);
    cluster.clear();
  }

  private String shoal(String... args) {
    return cluster.succeed(args);
  }

  /** An image whose tasks serve their hostname on port 80, under a tag of the test's own. */
  private String image(String tag) {
    TestImages.busybox(registry, "e2e/faults:" + tag).file("/www/index.html", "not started\n").push(docker);
    return registry.image("e2e/faults:" + tag);
  }

  @Test
  void aPartitionedHostsTasksAreReplacedAndStoppedWhenItHealsNeverServingTwice() {
    int port = ExternalProcess.freePort();
    shoal("service", "create", "--name", "part", "--replicas", "3", "--publish", port + ":80",
        "--restart-condition", "any", "--restart-delay", "1s", "--stop-grace-period", "2s",
        "--init", "--timeout", "2m", image("part"), "sh", "-c", SERVE_HOSTNAME);
    String id = cluster.serviceId("part");
    Host cut = cluster.host("h3");
    Host other = cluster.host("h1");
    List<Container> before = cluster.containers(id);
    assertThat(before).extracting(Container::host).containsExactlyInAnyOrderElementsOf(cluster.hosts);
    Container old = before.stream().filter(c -> c.host().equals(cut)).findFirst().orElseThrow();
    String oldHostname = old.inspect("{{.Config.Hostname}}");

    lab.partition(cut);
    repairs.add(() -> lab.heal(cut));
    long partitioned = System.nanoTime();
    await().atMost(WAIT).until(() -> cluster.nodeStatus(cut.name()).equals("Down"));
    long downMs = (System.nanoTime() - partitioned) / 1_000_000;

    // Restart policy any: the slot of h3's task runs again on h1 or h2.
    await().atMost(WAIT).untilAsserted(() -> {
      Map<Integer, List<TaskRow>> running = runningBySlot("part");
      assertThat(running.keySet()).containsExactlyInAnyOrder(1, 2, 3);
      assertThat(running.values()).allSatisfy(tasks -> assertThat(tasks).hasSize(1)
          .allSatisfy(t -> assertThat(t.node()).isNotEqualTo(cut.name())));
    });
    // h3's task was told to shut down at once, and, its node unable to say how it ends, is
    // recorded Orphaned (Swarm's words in `service ps`).
    await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.tasks("part"))
        .filteredOn(t -> t.node().equals(cut.name()))
        .singleElement().satisfies(t -> {
          assertThat(t.desired()).isEqualTo("Shutdown");
          assertThat(t.current()).isEqualTo("Orphaned");
        }));
    Set<String> serving = runningHostnames(id, List.of(cluster.host("h1"), cluster.host("h2")));
    assertThat(serving).hasSize(3).doesNotContain(oldHostname);
    // h3's old container still runs, cut off: a real host cut off keeps its containers.
    assertThat(old.inspect("{{.State.Running}}")).isEqualTo("true");

    // Through the mesh of a host that stayed, only the replacements answer, before the heal,
    // while h3 comes back and after.
    Set<String> answered = new HashSet<>();
    await().atMost(WAIT).until(() -> {
      answered.addAll(LocalCluster.ask(other, port));
      return answered.containsAll(serving);
    });
    lab.heal(cut);
    long healed = System.nanoTime();
    await().atMost(WAIT).until(() -> {
      answered.addAll(LocalCluster.ask(other, port));
      Commands.Result r = old.tryInspect("{{.State.Running}}");
      return !(r.ok() && r.stdout().strip().equals("true")) && cluster.nodeStatus(cut.name()).equals("Ready");
    });
    long stoppedMs = (System.nanoTime() - healed) / 1_000_000;
    // The healed host's own mesh, too, serves only the replacements, once it has caught up.
    for (Host host : cluster.hosts) {
      for (int i = 0; i < 6; i++) {
        answered.addAll(LocalCluster.ask(host, port));
      }
    }
    assertThat(answered).as("tasks that answered through the mesh").isEqualTo(serving);
    assertThat(runningBySlot("part").values()).allSatisfy(tasks -> assertThat(tasks).hasSize(1));
    System.out.printf("e2e: partitioned host's node Down after %d ms; its old container stopped "
        + "%d ms after the heal%n", downMs, stoppedMs);
  }

  @Test
  void aHostWhoseEngineRestartsGetsItsTasksBack() {
    shoal("service", "create", "--name", "engine", "--replicas", "3",
        "--restart-condition", "any", "--restart-delay", "1s", "--stop-grace-period", "2s",
        "--init", "--timeout", "2m", image("engine"), "sh", "-c", SERVE_HOSTNAME);
    String id = cluster.serviceId("engine");
    Host restarted = cluster.host("h2");
    Set<String> before = runningIds(id, restarted);
    assertThat(before).hasSize(1);

    long stopping = System.nanoTime();
    lab.stopEngine(restarted);
    repairs.add(() -> lab.startEngine(restarted));
    long stoppedMs = (System.nanoTime() - stopping) / 1_000_000;
    lab.startEngine(restarted);
    long answering = System.nanoTime();

    await().atMost(WAIT).untilAsserted(() -> {
      Map<Integer, List<TaskRow>> running = runningBySlot("engine");
      assertThat(running.keySet()).containsExactlyInAnyOrder(1, 2, 3);
      assertThat(running.values()).allSatisfy(tasks -> assertThat(tasks).hasSize(1));
      assertThat(running.values().stream().flatMap(List::stream).map(TaskRow::node))
          .containsExactlyInAnyOrder("h1", "h2", "h3");
      assertThat(runningIds(id, restarted)).hasSize(1);
    });
    long backMs = (System.nanoTime() - answering) / 1_000_000;
    assertThat(cluster.nodeStatus(restarted.name())).isEqualTo("Ready");
    System.out.printf("e2e: dockerd of %s stopped in %d ms; its task RUNNING again %d ms after it "
        + "answered again (%s container)%n", restarted.name(), stoppedMs, backMs,
        runningIds(id, restarted).equals(before) ? "the same" : "a new");
  }

  @Test
  void aRollingUpdateCompletesWhenAHostIsKilledWhileItRuns() {
    shoal("service", "create", "--name", "roll", "--replicas", "6", "--env", "GREETING=one",
        "--update-parallelism", "1", "--update-delay", "2s",
        "--restart-condition", "any", "--restart-delay", "1s", "--stop-grace-period", "2s",
        "--init", "--timeout", "2m", image("roll"), "sh", "-c", SERVE_HOSTNAME);
    String id = cluster.serviceId("roll");
    Host killed = cluster.host("h3");
    assertThat(runningIds(id, killed)).hasSize(2);

    shoal("service", "update", "--env-add", "GREETING=two", "--detach", "roll");
    // Once the update has replaced its first slot, h3 goes: cut off, its agent killed.
    await().atMost(WAIT).until(() -> !updatedContainers(id, cluster.hosts).isEmpty());
    lab.partition(killed);
    repairs.add(() -> lab.heal(killed));
    cluster.killAgent(killed);
    repairs.add(() -> {
      lab.heal(killed);
      cluster.startAgent(killed);
    });
    assertThat(updatedContainers(id, cluster.hosts)).as("slots updated when h3 went").hasSizeLessThan(6);

    await().atMost(WAIT).until(() -> shoal("service", "inspect", "roll").contains("UPDATE_STATE_COMPLETED"));
    await().atMost(WAIT).untilAsserted(() -> {
      Map<Integer, List<TaskRow>> running = runningBySlot("roll");
      assertThat(running.keySet()).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
      assertThat(running.values()).allSatisfy(tasks -> assertThat(tasks).hasSize(1)
          .allSatisfy(t -> assertThat(t.node()).isNotEqualTo(killed.name())));
    });
    List<Host> alive = List.of(cluster.host("h1"), cluster.host("h2"));
    assertThat(updatedContainers(id, alive)).hasSize(6);
    assertThat(runningIds(id, alive)).hasSize(6);
  }

  /** The tasks that desired and current state say run, by slot. */
  private Map<Integer, List<TaskRow>> runningBySlot(String service) {
    return cluster.tasks(service).stream().filter(TaskRow::running)
        .collect(Collectors.groupingBy(TaskRow::slot));
  }

  /** Ids of the service's containers running on {@code hosts}' engines. */
  private static Set<String> runningIds(String serviceId, Host... hosts) {
    return runningIds(serviceId, List.of(hosts));
  }

  private static Set<String> runningIds(String serviceId, List<Host> hosts) {
    Set<String> ids = new HashSet<>();
    for (Host host : hosts) {
      for (String c : host.engine().containerIds("io.shoal.service.id=" + serviceId)) {
        Commands.Result r = host.engine().tryDocker("inspect", "--format", "{{.State.Running}}", c);
        if (r.ok() && r.stdout().strip().equals("true")) {
          ids.add(c);
        }
      }
    }
    return ids;
  }

  private static Set<String> runningHostnames(String serviceId, List<Host> hosts) {
    Set<String> names = new HashSet<>();
    for (Host host : hosts) {
      for (String c : runningIds(serviceId, host)) {
        names.add(host.engine().inspect("{{.Config.Hostname}}", c));
      }
    }
    return names;
  }

  /** The service's running containers on {@code hosts} that carry the update's GREETING=two. */
  private List<String> updatedContainers(String serviceId, List<Host> hosts) {
    List<String> updated = new ArrayList<>();
    for (Host host : hosts) {
      for (String c : runningIds(serviceId, host)) {
        Commands.Result r = host.engine().tryDocker("inspect", "--format", "{{json .Config.Env}}", c);
        if (r.ok() && r.stdout().contains("GREETING=two")) {
          updated.add(c);
        }
      }
    }
    return updated;
  }
}
