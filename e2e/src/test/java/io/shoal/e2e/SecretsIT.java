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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Secrets and configs on the lab (issue #12, item 6): created with the CLI, read inside a
 * service's container from the files Swarm would give it, taken away by an update, and sent to
 * no node that runs no task using them.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class, SharedClusterExtension.class})
class SecretsIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** Waits, and stops at once on SIGTERM (a shell as PID 1 would ignore it for the grace period). */
  private static final String IDLE = "trap 'exit 0' TERM; sleep 100000 & wait";
  private static final String VALUE = "e2e-s3cr3t-4d9b1f";
  private static final String CONFIG = "worker_processes 2;";

  private DockerTestEngine docker;
  private RegistryTestServer registry;
  private LocalCluster cluster;

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
  void aServiceReadsItsSecretAndConfigAsFilesAndNoOtherNodeGetsThem() {
    TestImages.busybox(registry, "e2e/secrets:1").push(docker);
    String image = registry.image("e2e/secrets:1");
    cluster.succeeded(cluster.shoalWith(Map.of(), VALUE, "secret", "create", "e2e-db-pass", "-"));
    cluster.succeeded(cluster.shoalWith(Map.of(), CONFIG, "config", "create", "e2e-app-conf", "-"));
    String secretId = LocalCluster.idOf(shoal("secret", "inspect", "e2e-db-pass"));
    String configId = LocalCluster.idOf(shoal("config", "inspect", "e2e-app-conf"));
    shoal("service", "create", "--name", "sec-app", "--constraint", "node.hostname==h1",
        "--secret", "source=e2e-db-pass,target=db,uid=1000,gid=1001,mode=0400",
        "--config", "source=e2e-app-conf,target=/etc/app.conf,mode=0440",
        image, "sh", "-c", IDLE);

    Container app = onlyContainer("sec-app");
    assertThat(app.host().name()).isEqualTo("h1");
    assertThat(exec(app, "cat /run/secrets/db").stdout()).isEqualTo(VALUE);
    assertThat(exec(app, "ls -ln /run/secrets/db").stdout()).startsWith("-r--------").contains(" 1000 ")
        .contains(" 1001 ");
    assertThat(exec(app, "cat /etc/app.conf").stdout()).isEqualTo(CONFIG);
    assertThat(exec(app, "ls -ln /etc/app.conf").stdout()).startsWith("-r--r-----");
    String pretty = shoal("service", "inspect", "--pretty", "sec-app");
    assertThat(pretty).contains(" Secrets:\n  Target:\tdb\n   Source:\te2e-db-pass")
        .contains(" Configs:\n  Target:\t/etc/app.conf\n   Source:\te2e-app-conf").doesNotContain(VALUE);

    // Only h1's agent got them; the others were never sent a byte of them, nor their ids.
    assertThat(cluster.log("agent-h1")).contains("received the data of secret " + secretId)
        .contains("received the data of config " + configId);
    for (Host other : List.of(cluster.host("h2"), cluster.host("h3"))) {
      assertThat(cluster.log("agent-" + other.name())).doesNotContain(secretId).doesNotContain(configId);
    }
    assertThat(cluster.log("dispatcher")).contains("node " + nodeId("h1") + ": sending the data of secret " + secretId)
        .doesNotContain(nodeId("h2") + ": sending the data").doesNotContain(nodeId("h3") + ": sending the data");

    // --secret-rm: the new task has no such file; its config stays.
    shoal("service", "update", "--secret-rm", "e2e-db-pass", "sec-app");
    await().atMost(WAIT).untilAsserted(() -> assertThat(running("sec-app")).hasSize(1)
        .allSatisfy(c -> assertThat(c.id()).isNotEqualTo(app.id())));
    Container updated = onlyContainer("sec-app");
    assertThat(exec(updated, "test -e /run/secrets/db").ok()).isFalse();
    assertThat(exec(updated, "cat /etc/app.conf").stdout()).isEqualTo(CONFIG);
    // And h1 was told to forget the secret once no task of it used it.
    await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.log("agent-h1"))
        .contains("forgot the data of secret " + secretId));

    // The value is in no process's log, in no inspect output, and in etcd only sealed.
    for (String name : List.of("control", "dispatcher", "scheduler", "registry", "agent-h1", "agent-h2", "agent-h3")) {
      assertThat(cluster.log(name)).as(name).doesNotContain(VALUE);
    }
    assertThat(shoal("secret", "inspect", "e2e-db-pass") + shoal("service", "inspect", "sec-app")
        + shoal("secret", "ls")).doesNotContain(VALUE);
    String etcd = cluster.etcdDump();
    assertThat(etcd).contains("secret_data/" + secretId).contains(CONFIG).doesNotContain(VALUE);
  }

  /** The node id of the node on host {@code name}, as `node ls` shows it. */
  private String nodeId(String name) {
    for (String line : shoal("node", "ls").lines().toList()) {
      String[] words = line.strip().split("\\s+");
      if (words.length > 2 && words[1].equals(name)) {
        return words[0];
      }
      if (words.length > 2 && words[0].equals("*") && words[2].equals(name)) {
        return words[1];
      }
    }
    throw new AssertionError("no node " + name + " in node ls");
  }

  private Container onlyContainer(String name) {
    List<Container> running = new ArrayList<>();
    await().atMost(WAIT).untilAsserted(() -> {
      running.clear();
      running.addAll(running(name));
      assertThat(running).hasSize(1);
    });
    return running.get(0);
  }

  /** The running containers of service {@code name}, on every host. */
  private List<Container> running(String name) {
    return cluster.containers(cluster.serviceId(name)).stream()
        .filter(c -> c.tryInspect("{{.State.Running}}").stdout().strip().equals("true")).toList();
  }

  private static Commands.Result exec(Container container, String script) {
    return container.host().engine().tryDocker("exec", container.id(), "sh", "-c", script);
  }
}
