package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.testing.Commands;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.Lab;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The release archive as an operator uses it (issue #15, item 1): unpacked with tar, every
 * launcher answers {@code --help}, and a cluster whose every part runs from the archive's
 * launchers (etcd the test's own, one node on a lab host) runs a service the archive's
 * {@code bin/shoal} creates.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class})
class ReleaseArchiveIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private final ReleaseArchive archive = ReleaseArchive.unpacked();
  private final Map<String, String> jdk = Map.of("JAVA_HOME", System.getProperty("java.home"));

  @Test
  void everyLauncherAnswersHelp() {
    System.out.printf("release archive %s: %.1f MiB%n", archive.tarball.getFileName(), archive.sizeMiB());
    assertThat(archive.home.resolve("README.md")).isRegularFile();
    assertThat(archive.home.resolve("etc/control.env")).isRegularFile();
    assertThat(archive.home.resolve("etc/prometheus/rules.yml")).isRegularFile();
    assertThat(archive.home.resolve("systemd/shoal-control.service")).isRegularFile();
    assertThat(archive.home.resolve("systemd/etcd.service.d/shoal.conf")).isRegularFile();
    for (String name : ReleaseArchive.SERVICE_LAUNCHERS) {
      Commands.Result help = archive.run(jdk, name, "--help");
      assertThat(help.exitCode()).as(name + " --help: " + help.stdout() + help.stderr()).isZero();
      assertThat(help.stdout()).as(name + " --help").contains("Usage:").contains("--cert-dir");
    }
    Commands.Result cli = archive.run(jdk, "shoal", "--help");
    assertThat(cli.exitCode()).as("shoal --help: " + cli.stderr()).isZero();
    assertThat(cli.stdout()).contains("Usage:").contains("service");
  }

  @Test
  void withoutJavaALauncherSaysWhatToInstall() {
    Commands.Result noJava = archive.run(Map.of("PATH", "/nonexistent"), "shoal-control", "--help");
    assertThat(noJava.exitCode()).isEqualTo(1);
    assertThat(noJava.stderr()).contains("shoal-control: no java on PATH").contains("JAVA_HOME");
  }

  @Test
  void aClusterStartedFromTheArchiveRunsAService(Lab lab, DockerTestEngine docker, RegistryTestServer local) {
    RegistryTestServer registry = lab.registry(local);
    TestImages.busybox(registry, "e2e/archive-web:1").file("/www/index.html", "from the archive\n").push(docker);
    Lab.Host host = lab.hosts().get(0);
    try (LocalCluster cluster = new LocalCluster(archive, lab, List.of(host), 1, List.of(), List.of(), registry)) {
      cluster.awaitReadyNodes(WAIT);
      Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"),
          "SHOAL_HOST", cluster.controlAddr, "SHOAL_CERT_PATH", cluster.certs("cli"));
      int port = ExternalProcess.freePort();
      Commands.Result create = archive.run(env, "shoal", "service", "create", "--name", "archive-web",
          "--replicas", "1", "--publish", port + ":80", "--init", "--timeout", "60s",
          registry.image("e2e/archive-web:1"), "httpd", "-f", "-p", "80", "-h", "/www");
      cluster.succeeded(create, "service", "create", "archive-web");
      cluster.serviceId("archive-web");
      assertThat(archive.run(env, "shoal", "service", "ps", "archive-web").stdout()).contains("Running");
      await("the service through the mesh at " + host.address() + ":" + port).atMost(WAIT)
          .until(() -> !LocalCluster.ask(host, port).isEmpty());
      assertThat(cluster.log("control")).as("control ran from the archive's lib/")
          .doesNotContain("Exception in thread");
      assertThat(Files.isDirectory(archive.home.resolve("lib"))).isTrue();
    }
  }
}
