package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.Lab;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stack deploy} of a three-service compose file, as a user writes one, on the lab: the
 * services converge, a changed file updates only the service that changed, {@code stack
 * ls/services/ps} show the stack, and {@code stack rm} removes its services and network.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class, SharedClusterExtension.class})
class StackIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String IDLE = "trap 'exit 0' TERM INT; sleep 100000 & wait";

  private LocalCluster cluster;
  private String image;
  @TempDir Path dir;

  @BeforeEach
  void start(Lab lab, DockerTestEngine docker, RegistryTestServer local, LocalCluster shared) {
    RegistryTestServer registry = lab.registry(local);
    TestImages.busybox(registry, "e2e/stack:1").file("/www/index.html", "stack\n").push(docker);
    image = registry.image("e2e/stack:1");
    cluster = shared;
  }

  private String file(String queue, int port) {
    return """
        version: "3.8"
        services:
          web:
            image: %1$s
            command: ["httpd", "-f", "-p", "80", "-h", "/www"]
            ports:
              - "%3$d:80"
            healthcheck:
              test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1/"]
              interval: 500ms
            deploy:
              replicas: 2
          worker:
            image: %1$s
            command: ["sh", "-c", "%4$s"]
            environment:
              QUEUE: %2$s
            deploy:
              placement:
                constraints: [node.hostname == h2]
          agent:
            image: %1$s
            command: ["sh", "-c", "%4$s"]
            deploy:
              mode: global
        """.formatted(image, queue, port, IDLE);
  }

  @Test
  void deployChangeRedeployRemove() throws Exception {
    int port = ExternalProcess.freePort();
    Path compose = dir.resolve("stack.yml");
    Files.writeString(compose, file("jobs", port));

    String deployed = cluster.succeed("stack", "deploy", "-c", compose.toString(), "shop");
    assertThat(deployed).contains("Creating network shop_default").contains("Creating service shop_web")
        .contains("Creating service shop_worker").contains("Creating service shop_agent");
    for (String service : new String[] {"shop_web", "shop_worker", "shop_agent"}) {
      cluster.serviceId(service);
    }
    await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.succeed("stack", "services", "--format",
        "{{.Name}} {{.Replicas}}", "shop")).isEqualTo("shop_agent 3/3\nshop_web 2/2\nshop_worker 1/1\n"));
    assertThat(cluster.succeed("stack", "ls")).contains("shop").containsPattern("shop\\s+3");
    assertThat(cluster.succeed("stack", "ps", "--filter", "name=shop_worker", "--format", "{{.Node}}", "shop"))
        .isEqualTo("h2\n");
    Map<String, String> versions = versions();

    Files.writeString(compose, file("other-jobs", port));
    String redeployed = cluster.succeed("stack", "deploy", "-c", compose.toString(), "shop");

    assertThat(redeployed).contains("Service shop_web is up to date").contains("Service shop_agent is up to date")
        .contains("Updating service shop_worker");
    Map<String, String> after = versions();
    assertThat(after.get("shop_web")).isEqualTo(versions.get("shop_web"));
    assertThat(after.get("shop_agent")).isEqualTo(versions.get("shop_agent"));
    assertThat(after.get("shop_worker")).isNotEqualTo(versions.get("shop_worker"));
    String workerId = cluster.serviceId("shop_worker");
    await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.containers(workerId))
        .filteredOn(c -> c.tryInspect("{{.State.Running}}").stdout().strip().equals("true"))
        .singleElement().satisfies(c -> assertThat(c.inspect("{{json .Config.Env}}")).contains("QUEUE=other-jobs")));

    String removed = cluster.succeed("stack", "rm", "shop");
    assertThat(removed).contains("Removing service shop_web").contains("Removing network shop_default");
    await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.succeed("stack", "ls").strip()).isEqualTo("NAME      SERVICES"));
    assertThat(cluster.succeed("network", "ls")).doesNotContain("shop_default");
  }

  private Map<String, String> versions() {
    return Map.of(
        "shop_web", cluster.succeed("service", "inspect", "--format", "{{.Version}}", "shop_web").strip(),
        "shop_worker", cluster.succeed("service", "inspect", "--format", "{{.Version}}", "shop_worker").strip(),
        "shop_agent", cluster.succeed("service", "inspect", "--format", "{{.Version}}", "shop_agent").strip());
  }
}
