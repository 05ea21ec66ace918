package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.e2e.LocalCluster.Container;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.Lab;
import io.shoal.testing.Lab.Host;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's scenario on a real cluster of separate processes on a lab of three hosts, each
 * with its own dockerd, real etcd and a real registry: create a 3-replica published service
 * (a task per host), reach it through every host's routing mesh, roll an env change through all
 * tasks, scale it to one task and still reach it at every host (the mesh of the two others
 * forwards across the lab's network), remove it.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class, SharedClusterExtension.class})
class ServiceLifecycleIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private LocalCluster cluster;
  private DockerTestEngine docker;
  private RegistryTestServer registry;

  @BeforeEach
  void start(Lab lab, DockerTestEngine docker, RegistryTestServer local, LocalCluster shared) {
    this.docker = docker;
    registry = lab.registry(local);
    cluster = shared;
  }

  private String shoal(String... args) {
    return cluster.succeed(args);
  }

  @Test
  void createServeUpdateRemove() throws Exception {
    String image = registry.image("e2e/web:1");
    TestImages.busybox(registry, "e2e/web:1").file("/www/index.html", "hello from shoal e2e\n").push(docker);
    int port = ExternalProcess.freePort();

    cluster.awaitReadyNodes(Duration.ofSeconds(60));

    long started = System.nanoTime();
    shoal("service", "create", "--name", "web", "--replicas", "3", "--publish", port + ":80",
        "--env", "GREETING=hi", "--workdir", "/www", "--user", "0", "--init", "--timeout", "2m",
        image, "httpd", "-f", "-p", "80");
    long convergedMs = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("e2e: service create to 3/3 RUNNING took %d ms (CLI JVM start included)%n", convergedMs);

    String serviceId = cluster.serviceId("web");
    assertThat(shoal("service", "ls")).contains("web").contains("3/3").contains("*:" + port + "->80/tcp")
        .contains(image + "@sha256:");
    String ps = shoal("service", "ps", "web");
    for (Host host : cluster.hosts) {
      assertThat(ps).as("service ps names the hosts").containsPattern("\\s" + host.name() + "\\s");
    }
    // Docker's --format and --filter, and node ps, on the real cluster.
    assertThat(shoal("service", "ls", "--filter", "name=we", "--format", "{{.Name}} {{.Replicas}}"))
        .isEqualTo("web 3/3\n");
    assertThat(shoal("service", "inspect", "--format", "{{.Spec.Name}} {{.Spec.Replicated.Replicas}}", "web"))
        .isEqualTo("web 3\n");
    assertThat(shoal("node", "ps", "--filter", "desired-state=running", "--format", "{{.Name}}|{{.Node}}", "h1"))
        .matches("web\\.[1-3]\\|h1\n");

    // A task on each host's own engine.
    List<Container> containers = cluster.containers(serviceId);
    assertThat(containers).extracting(Container::host).containsExactlyInAnyOrderElementsOf(cluster.hosts);
    for (Container c : containers) {
      assertThat(c.inspect("{{json .Config.Env}}")).contains("GREETING=hi");
      assertThat(c.inspect("{{.Config.WorkingDir}}")).isEqualTo("/www");
      assertThat(c.inspect("{{.Config.User}}")).isEqualTo("0");
    }
    Set<String> firstTasks = taskIds(containers);
    assertEveryHostAnswers(port);

    shoal("service", "update", "--env-add", "GREETING=bye", "--timeout", "2m", "web");

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<Container> now = cluster.containers(serviceId);
      assertThat(now).hasSize(3);
      assertThat(taskIds(now)).doesNotContainAnyElementsOf(firstTasks);
      for (Container c : now) {
        assertThat(c.inspect("{{json .Config.Env}}")).contains("GREETING=bye");
      }
    });
    assertEveryHostAnswers(port);

    // One task left: the two hosts without it answer through their mesh, which forwards to it
    // on the third host over the lab bridge.
    List<String> scaledDown = cluster.tasks("web").stream()
        .filter(t -> t.slot() > 1 && t.desired().equals("Running")).map(LocalCluster.TaskRow::id).toList();
    assertThat(scaledDown).hasSize(2);
    shoal("service", "scale", "web=1");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(cluster.containers(serviceId)).hasSize(1));
    // Scale-down gives desired REMOVE, as Swarm: the tasks are deleted once stopped, no history.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(cluster.tasks("web")).extracting(LocalCluster.TaskRow::id).doesNotContainAnyElementsOf(scaledDown));
    assertEveryHostAnswers(port);

    shoal("service", "rm", "web");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(cluster.containers(serviceId)).isEmpty());
    assertThat(shoal("service", "ls")).doesNotContain("web");

    // What happened, as `docker events` tells it: the service's life and its tasks' (--until ends it).
    String until = String.valueOf(java.time.Instant.now().getEpochSecond() + 1);
    String events = shoal("events", "--since", "0", "--until", until, "--filter", "name=web");
    assertThat(events).contains(" service create " + serviceId + " (name=web)\n")
        .contains(" service update " + serviceId + " (name=web, replicas.new=1, replicas.old=3)\n")
        .containsPattern(" task update \\S+ \\(desired_state=running, .*state.new=running, state.old=starting\\)")
        .contains(" service remove " + serviceId + " (name=web)\n");
    assertThat(shoal("events", "--since", "0", "--until", until, "--filter", "type=service", "--filter", "event=create",
        "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}")).contains("service create web\n")
        .doesNotContain("remove").doesNotContain("task");
  }

  /** Every host's address serves the page, through the routing mesh on that host. */
  private void assertEveryHostAnswers(int port) {
    for (Host host : cluster.hosts) {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(get("http://" + host.address() + ":" + port + "/")).as(host.name())
              .isEqualTo("hello from shoal e2e\n"));
    }
  }

  private static Set<String> taskIds(List<Container> containers) {
    Set<String> ids = new HashSet<>();
    for (Container c : containers) {
      ids.add(c.inspect("{{index .Config.Labels \"io.shoal.task.id\"}}"));
    }
    return ids;
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
