package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import io.shoal.testing.ExternalProcess;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's scenario on a real cluster of separate processes, real etcd, real dockerd and a
 * real registry: create a 3-replica published service, reach it through every node's routing
 * mesh, roll an env change through all tasks, remove it.
 */
@ExtendWith({EtcdExtension.class, DockerExtension.class, RegistryExtension.class})
class ServiceLifecycleIT {
  private static final List<String> NODES = List.of("127.0.0.22", "127.0.0.23", "127.0.0.24");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private LocalCluster cluster;
  private DockerTestEngine docker;

  @BeforeEach
  void start(EtcdTestCluster etcd, DockerTestEngine docker) {
    this.docker = docker;
    cluster = new LocalCluster(etcd, docker, NODES);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private String shoal(String... args) {
    return cluster.succeed(args);
  }

  @Test
  void createServeUpdateRemove(RegistryTestServer registry) throws Exception {
    String image = registry.image("e2e/web") + ":1";
    TestImages.busybox(image).file("/www/index.html", "hello from shoal e2e\n").push(docker);
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
    assertThat(ps).contains("e2e-node-1").contains("e2e-node-2").contains("e2e-node-3");

    List<String> containers = docker.containerIds("io.shoal.service.id=" + serviceId);
    assertThat(containers).hasSize(3);
    for (String c : containers) {
      assertThat(docker.inspect("{{json .Config.Env}}", c)).contains("GREETING=hi");
      assertThat(docker.inspect("{{.Config.WorkingDir}}", c)).isEqualTo("/www");
      assertThat(docker.inspect("{{.Config.User}}", c)).isEqualTo("0");
    }
    Set<String> firstTasks = taskIds(containers);

    for (String addr : NODES) {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(get("http://" + addr + ":" + port + "/")).isEqualTo("hello from shoal e2e\n"));
    }

    shoal("service", "update", "--env-add", "GREETING=bye", "--timeout", "2m", "web");

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<String> now = docker.containerIds("io.shoal.service.id=" + serviceId);
      assertThat(now).hasSize(3);
      assertThat(taskIds(now)).doesNotContainAnyElementsOf(firstTasks);
      for (String c : now) {
        assertThat(docker.inspect("{{json .Config.Env}}", c)).contains("GREETING=bye");
      }
    });
    for (String addr : NODES) {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(get("http://" + addr + ":" + port + "/")).isEqualTo("hello from shoal e2e\n"));
    }

    shoal("service", "rm", "web");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(docker.containerIds("io.shoal.service.id=" + serviceId)).isEmpty());
    assertThat(shoal("service", "ls")).doesNotContain("web");
  }

  private Set<String> taskIds(List<String> containers) {
    Set<String> ids = new HashSet<>();
    for (String c : containers) {
      ids.add(docker.inspect("{{index .Config.Labels \"io.shoal.task.id\"}}", c));
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
