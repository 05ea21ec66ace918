package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.testing.Commands;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.Lab;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API from other languages (issue #17): clients/generate.sh makes the Python client (protoc
 * and grpc_python_plugin, on Debian's python3-grpcio) and the TypeScript one (protoc-gen-es, on
 * Connect's Node gRPC transport), and each language's smoke program drives a service's life
 * through ControlService on a real cluster over mutual TLS with the CLI's certificate: list,
 * create, find, get, remove, gone. The Java CLI then sees no such service.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class})
class OtherLanguageClientsIT {
  /** A cold run installs Debian packages and runs npm ci; a warm one takes under a second. */
  private static final Duration GENERATE_TIMEOUT = Duration.ofMinutes(10);
  /** What each smoke program prints, a line per step, in order (NAME: the service's). */
  private static final List<String> STEPS = List.of(
      "listed ", "created NAME: id ", "found NAME in the list", "inspected NAME: image ", "removed NAME",
      "gone: NAME is no longer in the list");

  private static Path root;
  private static LocalCluster cluster;
  private static String image;

  @BeforeAll
  static void start(Lab lab, DockerTestEngine docker, RegistryTestServer local) {
    root = repoRoot();
    generateClients();
    RegistryTestServer registry = lab.registry(local);
    TestImages.busybox(registry, "e2e/clients:1").push(docker);
    image = registry.image("e2e/clients:1");
    cluster = new LocalCluster(lab, lab.hosts().subList(0, 1), registry);
    cluster.awaitReadyNodes(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void bufCurlFollowsTheEventStreamThroughReflection() {
    cluster.succeed("service", "create", "--name", "clients-curl", "--detach", image, "sleep", "1d");
    String certs = cluster.certs("cli");
    String body = "{\"since\": \"1970-01-01T00:00:00Z\", \"until\": \"" + java.time.Instant.now().plusSeconds(1)
        + "\", \"filters\": [{\"key\": \"name\", \"value\": \"clients-curl\"}]}";
    Commands.Result r = Commands.run(List.of("npx", "--yes", "@bufbuild/buf@1.75.0", "curl", "--protocol", "grpc",
        "--cacert", certs + "/ca.pem", "--cert", certs + "/cert.pem", "--key", certs + "/key.pem", "-d", body,
        "https://" + cluster.controlAddr + "/shoal.v1.ControlService/WatchEvents"));
    cluster.succeed("service", "rm", "clients-curl");

    assertThat(r.ok()).as("buf curl:\n" + r.stdout() + r.stderr()).isTrue();
    assertThat(r.stdout()).contains("\"type\": \"service\"").contains("\"action\": \"create\"")
        .contains("\"name\": \"clients-curl\"");
  }

  @Test
  void pythonClientCreatesGetsAndRemovesAService() {
    smoke("clients-python", "/usr/bin/python3", "-I", root.resolve("clients/python/smoke.py").toString());
  }

  @Test
  void typescriptClientCreatesGetsAndRemovesAService() {
    smoke("clients-typescript", "node", root.resolve("clients/typescript/dist/smoke.js").toString());
  }

  /** Runs {@code program} against the cluster's control for service {@code name}; fails with its output. */
  private static void smoke(String name, String... program) {
    List<String> command = new ArrayList<>(List.of(program));
    command.addAll(List.of(cluster.controlAddr, cluster.certs("cli"), name, image));
    Commands.Result r = Commands.run(command);
    String output = "stdout:\n" + r.stdout() + "stderr:\n" + r.stderr();
    if (!r.ok()) {
      throw new AssertionError(String.join(" ", command) + " exited with " + r.exitCode() + "\n" + output
          + "\ncluster logs:\n" + cluster.logs());
    }
    List<String> lines = r.stdout().lines().toList();
    assertThat(lines).as(output).hasSameSizeAs(STEPS);
    for (int i = 0; i < STEPS.size(); i++) {
      assertThat(lines.get(i)).as(output).startsWith(STEPS.get(i).replace("NAME", name));
    }
    assertThat(lines.get(3)).as(output).contains(image);
    assertThat(cluster.succeed("service", "ls")).doesNotContain(name);
  }

  /** Runs clients/generate.sh once; fails with its output. */
  private static void generateClients() {
    Path log;
    try {
      log = Files.createTempFile("shoal-e2e-generate", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Process p = new ProcessBuilder("bash", root.resolve("clients/generate.sh").toString())
          .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!p.waitFor(GENERATE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("clients/generate.sh did not finish in " + GENERATE_TIMEOUT + ":\n" + read(log));
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("clients/generate.sh exited with " + p.exitValue() + ":\n" + read(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      try {
        Files.deleteIfExists(log);
      } catch (IOException ignored) {
        // a temp file left behind
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository's root: the first directory up from the working one that holds clients/generate.sh. */
  private static Path repoRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("clients/generate.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no clients/generate.sh above " + Path.of("").toAbsolutePath());
  }
}
