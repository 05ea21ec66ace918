package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.e2e.LocalCluster.Container;
import io.shoal.testing.Commands;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.Lab;
import io.shoal.testing.Lab.Host;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 4's end-to-end case on real processes, etcd, dockerd and registry: a 6-replica service
 * across a lab of 3 hosts, each with its own dockerd, rolls an update start-first, two slots at a time (a new task runs before its old
 * one stops, so fewer than 6 containers never run), reports the update's status, and rolls back,
 * by hand and then by itself after a failing update (the spec swapped back both times, as in
 * Swarm).
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class, SharedClusterExtension.class})
class StartFirstRollingUpdateIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private LocalCluster cluster;
  private DockerTestEngine docker;
  private RegistryTestServer registry;
  private String serviceId;

  @BeforeEach
  void start(Lab lab, DockerTestEngine docker, RegistryTestServer local, LocalCluster shared) {
    this.docker = docker;
    registry = lab.registry(local);
    cluster = shared;
  }

  private String shoal(String... args) {
    return cluster.succeed(args);
  }

  /** GREETING of each running container of the service, on every host, by container. */
  private Map<Container, String> running() {
    Map<Container, String> env = new HashMap<>();
    for (Container c : cluster.containers(serviceId)) {
      // A container may go between the listing and this look (the scheduler removes old ones).
      Commands.Result r = c.tryInspect("{{.State.Running}} {{json .Config.Env}}");
      if (r.ok() && r.stdout().startsWith("true")) {
        Matcher m = Pattern.compile("GREETING=(\\w+)").matcher(r.stdout());
        env.put(c, m.find() ? m.group(1) : "");
      }
    }
    return env;
  }

  @Test
  void sixReplicasRollStartFirstAcrossThreeNodesAndRollBack() {
    String image = registry.image("e2e/startfirst:1");
    TestImages.busybox(registry, "e2e/startfirst:1").file("/www/index.html", "start-first\n").push(docker);
    cluster.awaitReadyNodes(WAIT);

    shoal("service", "create", "--name", "sf", "--replicas", "6", "--env", "GREETING=one",
        "--update-order", "start-first", "--update-parallelism", "2", "--update-monitor", "1s",
        "--rollback-order", "start-first", "--rollback-parallelism", "2", "--rollback-monitor", "1s",
        "--init", "--stop-grace-period", "2s", "--workdir", "/www", "--timeout", "2m",
        image, "httpd", "-f", "-p", "80");
    serviceId = cluster.serviceId("sf");
    assertThat(running()).hasSize(6).allSatisfy((c, g) -> assertThat(g).isEqualTo("one"));
    String ps = shoal("service", "ps", "sf");
    for (Host host : cluster.hosts) {
      assertThat(Pattern.compile("\\s" + host.name() + "\\s").matcher(ps).results().count())
          .as("tasks on %s:\n%s", host.name(), ps).isEqualTo(2);
      assertThat(cluster.containers(serviceId)).filteredOn(c -> c.host().equals(host)).hasSize(2);
    }

    // Start-first: while the update rolls, at least 6 containers run at every moment, over
    // all three hosts' engines.
    Instant updated = Instant.now();
    shoal("service", "update", "--env-add", "GREETING=two", "--detach", "sf");
    await().atMost(WAIT).until(() -> {
      Map<Container, String> now = running();
      return now.size() == 6 && now.values().stream().allMatch("two"::equals);
    });
    assertThat(ContainerTimeline.fewestRunning(cluster.hosts, serviceId, updated, 6, 6)).isGreaterThanOrEqualTo(6);
    await().atMost(WAIT).until(() -> shoal("service", "inspect", "sf").contains("UPDATE_STATE_COMPLETED"));
    assertThat(shoal("service", "inspect", "--pretty", "sf")).contains("State:").contains("completed")
        .contains("update completed");

    // Back to GREETING=one with the rollback config, start-first too.
    Instant rolledBack = Instant.now();
    shoal("service", "rollback", "--detach", "sf");
    await().atMost(WAIT).until(() -> {
      Map<Container, String> now = running();
      return now.size() == 6 && now.values().stream().allMatch("one"::equals);
    });
    assertThat(ContainerTimeline.fewestRunning(cluster.hosts, serviceId, rolledBack, 6, 6)).isGreaterThanOrEqualTo(6);
    await().atMost(WAIT).until(() -> shoal("service", "inspect", "sf").contains("UPDATE_STATE_ROLLBACK_COMPLETED"));
    assertThat(shoal("service", "ls")).contains("6/6");
    // As in Swarm, the rollback swapped the specs: inspect shows what runs.
    assertThat(shoal("service", "inspect", "--pretty", "sf")).contains("GREETING=one").doesNotContain("GREETING=two");

    // An update whose containers exit at once rolls itself back: the scheduler asks for it,
    // control swaps the specs, and the old spec rolls out again. (A container that runs, then
    // crashes after its old one stopped, leaves its slot empty for a moment, as in Swarm.)
    shoal("service", "update", "--args", "httpd -f -p 80 --no-such-flag", "--env-add", "GREETING=bad",
        "--update-failure-action", "rollback", "--update-monitor", "30s", "--detach", "sf");
    try {
      await().atMost(WAIT).until(() -> shoal("service", "inspect", "sf").contains("UPDATE_STATE_ROLLBACK_COMPLETED"));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("no automatic rollback:\n" + shoal("service", "inspect", "--pretty", "sf")
          + shoal("service", "ps", "--no-trunc", "sf") + "\ncluster logs:\n" + cluster.logs(), e);
    }
    String inspected = shoal("service", "inspect", "--pretty", "sf");
    assertThat(inspected).contains("rollback completed").containsPattern("(?m)Args:\\s+httpd -f -p 80$")
        .contains("GREETING=one").doesNotContain("GREETING=bad");
    await().atMost(WAIT).until(() -> {
      Map<Container, String> now = running();
      return now.size() == 6 && now.values().stream().allMatch("one"::equals);
    });

    shoal("service", "rm", "sf");
    await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.containers(serviceId)).isEmpty());
  }
}
