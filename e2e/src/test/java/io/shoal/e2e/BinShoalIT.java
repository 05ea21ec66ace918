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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands through {@code bin/shoal} itself, the script a user runs (the other e2e
 * tests start its launcher directly): its socket directory and jar digest, the daemon it starts,
 * and {@code SHOAL_CLI_DAEMON=stop}, which ends that daemon.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class, SharedClusterExtension.class})
class BinShoalIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Path BIN_SHOAL = LabExtension.repoRoot().resolve("bin/shoal");

  private LocalCluster cluster;
  private String image;
  /** XDG_RUNTIME_DIR of these calls: the daemon's socket goes under it, in shoal/. */
  @TempDir Path runtime;

  @BeforeEach
  void start(Lab lab, DockerTestEngine docker, RegistryTestServer local, LocalCluster shared) {
    RegistryTestServer registry = lab.registry(local);
    TestImages.busybox(registry, "e2e/bin-shoal:1").file("/www/index.html", "hi\n").push(docker);
    image = registry.image("e2e/bin-shoal:1");
    cluster = shared;
  }

  @AfterEach
  void stop() {
    shoal("stop");
  }

  private Commands.Result shoal(String daemon, String... args) {
    List<String> command = new ArrayList<>(List.of("env", "XDG_RUNTIME_DIR=" + runtime,
        "SHOAL_HOST=" + cluster.controlAddr, "SHOAL_CERT_PATH=" + cluster.certs("cli"), "SHOAL_CLI_DAEMON=" + daemon,
        "bash", BIN_SHOAL.toString()));
    command.addAll(List.of(args));
    return Commands.run(command);
  }

  private String succeed(String... args) {
    Commands.Result r = shoal("1", args);
    assertThat(r.exitCode()).as("bin/shoal " + String.join(" ", args) + ": " + r.stdout() + r.stderr()).isZero();
    return r.stdout();
  }

  private List<Path> sockets() throws IOException {
    Path dir = runtime.resolve("shoal");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".sock")).toList();
    }
  }

  @Test
  void theReadmesCommandsThroughBinShoalAndItsDaemon() throws IOException {
    int port = ExternalProcess.freePort();

    assertThat(succeed("node", "ls")).contains(" Ready ");
    assertThat(sockets()).as("the first call started the daemon").hasSize(1);
    assertThat(Files.getPosixFilePermissions(runtime.resolve("shoal")))
        .as("a socket directory only its owner may enter").hasSize(3);
    succeed("service", "create", "--name", "web", "--replicas", "3", "--publish", port + ":80", image,
        "httpd", "-f", "-p", "80", "-h", "/www");
    cluster.serviceId("web");
    assertThat(succeed("service", "ls")).contains("web").contains("3/3");
    assertThat(succeed("service", "ps", "web")).contains("web.1").contains("Running");
    succeed("service", "update", "--env-add", "GREETING=bye", "web");
    succeed("service", "scale", "web=1");
    assertThat(succeed("service", "inspect", "--format", "{{.Spec.Replicated.Replicas}}", "web")).isEqualTo("1\n");
    Commands.Result missing = shoal("1", "service", "inspect", "nope");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).contains("shoal: service nope not found");
    succeed("service", "rm", "web");
    assertThat(sockets()).as("every call went to the one daemon").hasSize(1);

    ProcessHandle daemon = daemon();
    assertThat(shoal("stop").exitCode()).isZero();

    await("the daemon to end").atMost(Duration.ofSeconds(15)).until(() -> !daemon.isAlive());
    assertThat(sockets()).isEmpty();
  }

  /** The daemon serving this runtime directory: its pid is in its socket's lock file. */
  private ProcessHandle daemon() throws IOException {
    Path lock = sockets().get(0).resolveSibling(sockets().get(0).getFileName() + ".lock");
    return ProcessHandle.of(Long.parseLong(Files.readString(lock).strip())).orElseThrow();
  }
}
