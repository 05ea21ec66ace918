package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.testing.Commands;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.Lab;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A private registry (htpasswd basic auth) end to end, every part its own process: `shoal login`
 * into a private Docker config, `service create --with-registry-auth` pins the tag and runs on
 * two hosts of a lab whose engines do not have the image (they pull it, over the lab's network,
 * with the credentials the registry service hands them), a new push + `update --image` moves the digest, a scale keeps it, and a wrong
 * password creates the service unpinned with a warning that names the registry and the reason.
 */
@ExtendWith({LabExtension.class, DockerExtension.class})
class PrivateRegistryIT {
  private static final String USER = "deployer";
  private static final String PASSWORD = "pr1vate-" + Long.toHexString(System.nanoTime());

  private LocalCluster cluster;
  private DockerTestEngine docker;
  private RegistryTestServer secured;
  private Path dockerConfig;

  @BeforeEach
  void start(Lab lab, DockerTestEngine docker) {
    this.docker = docker;
    this.dockerConfig = ExternalProcess.tempDir("shoal-e2e-docker-config");
    secured = lab.registry(RegistryTestServer.startWithBasicAuth(USER, PASSWORD));
    cluster = new LocalCluster(lab, lab.hosts().subList(0, 2), secured);
  }

  @AfterEach
  void stop() {
    cluster.close();
    ExternalProcess.deleteTree(dockerConfig);
  }

  private String shoal(String stdin, String... args) {
    Commands.Result r = cluster.succeeded(
        cluster.shoalWith(Map.of("DOCKER_CONFIG", dockerConfig.toString()), stdin, args), args);
    return r.stdout() + r.stderr();
  }

  private static String digestOf(String pinned) {
    return pinned.substring(pinned.indexOf('@') + 1);
  }

  @Test
  void privateImagePinnedPulledWithCredentialsRepinnedOnUpdateKeptOnScale() {
    String tag = secured.image("e2e/private:1");
    String first = TestImages.busybox(secured, "e2e/private:1").file("/v", "1").push(docker);
    cluster.awaitReadyNodes(Duration.ofSeconds(60));

    shoal(PASSWORD + "\n", "login", "--username", USER, "--password-stdin", secured.address());
    String created = shoal(null, "service", "create", "--name", "private", "--replicas", "2", "--init",
        "--stop-grace-period", "1s", "--with-registry-auth", "--timeout", "2m", tag, "sleep", "3600");
    assertThat(created).doesNotContain("could not be accessed");
    String inspect = shoal(null, "service", "inspect", "--pretty", "private");
    assertThat(inspect).contains(first);
    String id = LocalCluster.idOf(shoal(null, "service", "inspect", "private"));
    cluster.removeOnClose(id);
    assertThat(cluster.containers(id)).extracting(c -> c.host().name()).containsExactlyInAnyOrder("h1", "h2");

    String second = TestImages.busybox(secured, "e2e/private:1").file("/v", "2").push(docker);
    assertThat(digestOf(second)).isNotEqualTo(digestOf(first));
    shoal(null, "service", "update", "--image", tag, "--timeout", "2m", "private");
    assertThat(shoal(null, "service", "inspect", "--pretty", "private")).contains(second);

    shoal(null, "service", "scale", "private=3", "--detach");
    assertThat(shoal(null, "service", "inspect", "--pretty", "private")).contains(second);

    Path wrong = ExternalProcess.tempDir("shoal-e2e-wrong-config");
    try {
      Commands.Result r = cluster.shoalWith(Map.of("DOCKER_CONFIG", wrong.toString()), "not-" + PASSWORD + "\n",
          "login", "--username", USER, "--password-stdin", secured.address());
      assertThat(r.ok()).isTrue();
      Commands.Result bad = cluster.shoalWith(Map.of("DOCKER_CONFIG", wrong.toString()), null,
          "service", "create", "--detach", "--name", "wrong-pass", "--with-registry-auth", tag, "sleep", "3600");
      assertThat(bad.ok()).as(bad.stderr()).isTrue();
      assertThat(bad.stderr()).contains("could not be accessed on a registry to record its digest")
          .contains("registry " + secured.address() + " refused the credentials of user " + USER)
          .doesNotContain(PASSWORD);
      cluster.removeOnClose(bad.stdout().strip());
      String badInspect = shoal(null, "service", "inspect", "--pretty", "wrong-pass");
      assertThat(badInspect).contains("Warnings:").contains("refused the credentials of user " + USER);
    } finally {
      ExternalProcess.deleteTree(wrong);
    }

    // The password is in no process's log, in no inspect output, and in etcd only sealed.
    for (String name : List.of("control", "dispatcher", "scheduler", "registry", "agent-h1", "agent-h2")) {
      assertThat(cluster.log(name)).as(name).doesNotContain(PASSWORD);
    }
    assertThat(shoal(null, "service", "inspect", "private")).doesNotContain(PASSWORD);
    assertThat(cluster.etcdDump()).contains("credentials/" + id).contains("services/" + id)
        .doesNotContain(PASSWORD);
  }
}
