package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each part of the cluster SIGKILLed in the middle of a rolling update, then started again as a
 * supervisor would (issue #16, item 1): control, the registry service, the leading and the
 * standby scheduler, the dispatcher, a node agent, a mesh-proxy and a host's dockerd. After each,
 * the 20-task service converges to the new spec: every slot holds exactly one RUNNING task, and
 * the engines run exactly those 20 containers, all of the new spec (nothing lost, nothing run
 * twice). While a mesh-proxy is down, requests through the other hosts keep succeeding. The
 * shared cluster, with a second scheduler for the class, and one service; each fault is the next
 * update round.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class, SharedClusterExtension.class})
class RollingUpdateFaultsIT {
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final int REPLICAS = 20;
  private static final int PARALLELISM = 4;
  private static final String NAME = "faults";
  private static final String BODY = "faults\n";
  /** The second scheduler, waiting in the election while the first leads. */
  private static final String STANDBY = "scheduler-2";

  private static Lab lab;
  private static LocalCluster cluster;
  private static String serviceId;
  private static int port;
  private static final Map<Fault, Long> convergedMs = new EnumMap<>(Fault.class);

  /** What is killed, and how it comes back. */
  enum Fault {
    CONTROL, REGISTRY, SCHEDULER_LEADER, SCHEDULER_STANDBY, DISPATCHER, AGENT, MESH_PROXY, DOCKERD
  }

  @BeforeAll
  static void start(Lab theLab, DockerTestEngine docker, RegistryTestServer local, LocalCluster shared) {
    lab = theLab;
    RegistryTestServer registry = lab.registry(local);
    cluster = shared;
    cluster.startScheduler(STANDBY);
    TestImages.busybox(registry, "e2e/update-faults:1").file("/www/index.html", BODY).push(docker);
    port = ExternalProcess.freePort();
    cluster.succeed("service", "create", "--name", NAME, "--replicas", String.valueOf(REPLICAS),
        "--publish", port + ":80", "--env", "ROUND=0",
        // The delay keeps the update going while the test sees the first batch and kills: without
        // it (CI run 10) the update was over before three of the eight kills.
        "--update-parallelism", String.valueOf(PARALLELISM), "--update-delay", "2s",
        // A new task that a fault fails (its engine killed under it) is restarted, and the update
        // goes on: with Swarm's default, pause, the dockerd round left it paused (CI run 11).
        "--update-order", "start-first", "--update-failure-action", "continue",
        "--restart-condition", "any", "--restart-delay", "1s",
        "--stop-grace-period", "2s", "--init", "--timeout", "3m",
        registry.image("e2e/update-faults:1"), "httpd", "-f", "-p", "80", "-h", "/www");
    serviceId = cluster.serviceId(NAME);
    awaitConverged(0);
  }

  @AfterAll
  static void stop() {
    convergedMs.forEach((fault, ms) ->
        System.out.printf("e2e: %s killed mid-update: converged %d ms after it was back%n", fault, ms));
    // The shared cluster goes on with one scheduler, as it came.
    if (cluster != null) {
      cluster.killPart(STANDBY);
    }
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void theUpdateConvergesWithEverySlotOnceWhenAPartIsKilledMidway(Fault fault) throws Exception {
    int round = fault.ordinal() + 1;
    awaitConverged(round - 1);
    List<Host> others = List.of(cluster.host("h1"), cluster.host("h2"));
    MeshLoad load = fault == Fault.MESH_PROXY
        ? new MeshLoad(others.stream().map(Host::address).toList(), port, BODY, 2, 25, 20_000, 300)
        : null;
    try {
      cluster.succeed("service", "update", "--env-add", "ROUND=" + round, "--detach", NAME);
      await("the first batch of round " + round).atMost(WAIT)
          .until(() -> updatedContainers(round) >= PARALLELISM);
      int updatedAtKill = updatedContainers(round);
      kill(fault);
      long back = System.nanoTime();
      assertThat(updatedAtKill).as("tasks of round %d running when %s was killed", round, fault)
          .isLessThan(REPLICAS);

      awaitConverged(round);
      convergedMs.put(fault, (System.nanoTime() - back) / 1_000_000);
      if (load != null) {
        int atConvergence = load.succeeded();
        await("requests through h1 and h2 after convergence").atMost(WAIT)
            .until(() -> load.succeeded() >= atConvergence + 20);
        load.stop();
        assertThat(load.failures()).as("requests through h1 and h2 that failed while h3's mesh-proxy was down")
            .isEmpty();
      }
    } finally {
      if (load != null) {
        load.close();
      }
    }
  }

  /** SIGKILLs the fault's part and starts it again at once, with the same command. */
  private static void kill(Fault fault) {
    switch (fault) {
      case CONTROL -> killAndRestart("control");
      case REGISTRY -> killAndRestart("registry");
      case SCHEDULER_LEADER -> killAndRestart(scheduler(true));
      case SCHEDULER_STANDBY -> killAndRestart(scheduler(false));
      case DISPATCHER -> killAndRestart("dispatcher");
      case AGENT -> killAndRestart("agent-h2");
      case MESH_PROXY -> killAndRestart("mesh-h3");
      case DOCKERD -> {
        Host host = cluster.host("h1");
        lab.killEngine(host);
        lab.startEngine(host);
      }
    }
  }

  private static void killAndRestart(String part) {
    cluster.killPart(part);
    cluster.restartPart(part);
  }

  /** The name of the leading scheduler ({@code leading}) or of the one waiting. */
  private static String scheduler(boolean leading) {
    String leader = cluster.schedulerLeader().orElseThrow(() -> new AssertionError("no scheduler leads"));
    // An instance is named ADDRESS/PID in the election.
    boolean firstLeads = leader.startsWith(cluster.schedulerAddr + "/");
    return firstLeads == leading ? "scheduler" : STANDBY;
  }

  /**
   * Until every slot 1..20 holds exactly one task that desires and runs Running, no other task
   * desires Running, and the engines run exactly those tasks' containers, each of round {@code round}.
   */
  private static void awaitConverged(int round) {
    await("every slot once, of round " + round).atMost(WAIT).untilAsserted(() -> {
      List<TaskRow> tasks = cluster.tasks(NAME);
      Map<Integer, List<TaskRow>> running = tasks.stream().filter(TaskRow::running)
          .collect(Collectors.groupingBy(TaskRow::slot));
      assertThat(running.keySet()).containsExactlyInAnyOrderElementsOf(
          IntStream.rangeClosed(1, REPLICAS).boxed().toList());
      assertThat(running.values()).allSatisfy(slot -> assertThat(slot).hasSize(1));
      assertThat(tasks.stream().filter(t -> t.desired().equals("Running"))).hasSize(REPLICAS);
      Map<String, String> containers = runningContainers();
      assertThat(containers.keySet()).as("task ids of the running containers")
          .containsExactlyInAnyOrderElementsOf(running.values().stream().map(s -> s.get(0).id()).toList());
      assertThat(containers.values()).as("their environment").allSatisfy(env -> assertThat(env)
          .contains("ROUND=" + round + "\""));
    });
  }

  /** How many of the service's running containers are of round {@code round}. */
  private static int updatedContainers(int round) {
    return (int) runningContainers().values().stream().filter(env -> env.contains("ROUND=" + round + "\"")).count();
  }

  /** The task id and environment (as JSON) of every running container of the service, on every engine. */
  private static Map<String, String> runningContainers() {
    Map<String, String> containers = new HashMap<>();
    for (Host host : cluster.hosts) {
      Commands.Result ids = host.engine().tryDocker("ps", "-q", "--no-trunc",
          "--filter", "label=io.shoal.service.id=" + serviceId);
      if (!ids.ok()) {
        throw new AssertionError("dockerd of " + host.name() + ": " + ids.stderr());
      }
      List<String> list = ids.stdout().lines().filter(l -> !l.isBlank()).toList();
      if (list.isEmpty()) {
        continue;
      }
      List<String> inspect = new ArrayList<>(List.of("inspect", "--format",
          "{{index .Config.Labels \"io.shoal.task.id\"}} {{json .Config.Env}}"));
      inspect.addAll(list);
      Commands.Result r = host.engine().tryDocker(inspect.toArray(String[]::new));
      // A container removed between the two calls is not running: the others are still printed.
      boolean onlyGone = r.stderr().lines().allMatch(l -> l.isBlank() || l.startsWith("Error: No such object"));
      if (!r.ok() && !onlyGone) {
        throw new AssertionError("inspect on " + host.name() + ": " + r.stderr());
      }
      for (String line : r.stdout().lines().filter(l -> !l.isBlank()).toList()) {
        int space = line.indexOf(' ');
        String previous = containers.put(line.substring(0, space), line.substring(space + 1));
        assertThat(previous).as("a second running container of task %s", line.substring(0, space)).isNull();
      }
    }
    return containers;
  }
}
