package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.testing.Commands;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/compose.yml on the test's engine (issue #15, item 3), as its header tells a user: {@code
 * up -d}, the CLI's certificate out of the stack, {@code bin/shoal service create -p PORT:80},
 * curl through the published port, then {@code down -v} leaves no container, network or volume of
 * the project. Prints the time from {@code up -d} to the converged service (target: 45 s).
 */
@ExtendWith({DockerExtension.class, RegistryExtension.class})
class ComposeStackIT {
  private static final Path REPO = LabExtension.repoRoot();
  private static final Duration WAIT = Duration.ofSeconds(120);
  /** The compose file's port variables: each gets a free port, so the stack runs beside anything. */
  private static final List<String> PORTS = List.of("ETCD", "ETCD_PEER", "CONTROL", "CONTROL_METRICS", "REGISTRY",
      "REGISTRY_METRICS", "SCHEDULER", "SCHEDULER_METRICS", "DISPATCHER", "DISPATCHER_METRICS", "AGENT",
      "AGENT_METRICS", "MESH", "MESH_METRICS", "WEB", "PROMETHEUS", "ZIPKIN");

  private final String project = "shoal-it-" + ProcessHandle.current().pid() + "-compose";
  private final String service = "compose-web";
  private final Map<String, String> env = new LinkedHashMap<>();
  @TempDir Path certs;
  @TempDir Path runtime;

  @Test
  void upThenAServiceThroughItsPublishedPortThenDownLeavesNothing(DockerTestEngine docker, RegistryTestServer registry)
      throws Exception {
    StackImages images = StackImages.on(docker);
    System.out.printf("release archive: %.1f MiB; images:%n%s", ReleaseArchive.unpacked().sizeMiB(), images.sizes);
    TestImages.busybox(registry, "e2e/compose-web:1").file("/www/index.html", "from compose\n").push(docker);
    PORTS.forEach(port -> env.put("SHOAL_" + port + "_PORT", String.valueOf(ExternalProcess.freePort())));
    env.putAll(Map.of("DOCKER_HOST", docker.host(), "COMPOSE_PROJECT_NAME", project,
        "SHOAL_IMAGE_PREFIX", images.prefix, "SHOAL_IMAGE_TAG", StackImages.TAG,
        "SHOAL_DOCKER_SOCKET", docker.host().replaceFirst("^unix://", ""),
        "SHOAL_INSECURE_REGISTRY", registry.address(), "SHOAL_NODE_NAME", project));
    int published = ExternalProcess.freePort();
    try {
      long start = System.nanoTime();
      compose("up", "-d");
      double upSeconds = (System.nanoTime() - start) / 1e9;
      run(List.of(REPO.resolve("deploy/compose/cli-certs.sh").toString(), certs.toString()));
      // No wait for the node: the service waits for one, and the CLI for the service to converge.
      run(shoalCommand("service", "create", "--name", service, "--publish", published + ":80", "--init",
          "--timeout", "60s", "--quiet", registry.image("e2e/compose-web:1"), "httpd", "-f", "-p", "80", "-h", "/www"));
      double converged = (System.nanoTime() - start) / 1e9;
      System.out.printf("compose: up -d returned after %.1f s; demo service converged %.1f s after up -d (target 45 s)%n",
          upSeconds, converged);

      assertThat(shoal("node", "ls").stdout()).as("the stack's node").contains(" Ready ");
      System.out.println("compose: container, started, finished:\n" + timeline(docker));
      await("curl http://127.0.0.1:" + published + "/").atMost(WAIT)
          .until(() -> get("http://127.0.0.1:" + published + "/").contains("from compose"));
      // The images of the stack's other parts serve too: the trace store and Prometheus.
      await("Zipkin's /health").atMost(WAIT)
          .until(() -> get("http://127.0.0.1:" + env.get("SHOAL_ZIPKIN_PORT") + "/health").contains("UP"));
      await("Prometheus ready").atMost(WAIT)
          .until(() -> !get("http://127.0.0.1:" + env.get("SHOAL_PROMETHEUS_PORT") + "/-/ready").isEmpty());
      run(shoalCommand("service", "rm", service));
      await("the service's containers gone").atMost(WAIT)
          .until(() -> docker.containerIds("io.shoal.service.name=" + service).isEmpty());
      compose("down", "-v");
      String label = "label=com.docker.compose.project=" + project;
      assertThat(docker.docker("ps", "-aq", "--filter", label)).as("containers of " + project).isBlank();
      assertThat(docker.docker("volume", "ls", "-q", "--filter", label)).as("volumes of " + project).isBlank();
      assertThat(docker.docker("network", "ls", "-q", "--filter", label)).as("networks of " + project).isBlank();
    } finally {
      // Whatever a failure left: the stack, and the tasks its agent started on this engine.
      compose("down", "-v", "--timeout", "5");
      docker.removeContainers("io.shoal.service.name=" + service);
    }
  }

  /** Each container of the stack with its start and end: where the time to converge went. */
  private String timeline(DockerTestEngine docker) {
    List<String> args = new ArrayList<>(List.of("inspect", "--format", "{{.Name}} {{.State.StartedAt}} {{.State.FinishedAt}}"));
    args.addAll(List.of(docker.docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + project)
        .strip().split("\\s+")));
    return docker.docker(args.toArray(String[]::new));
  }

  private String compose(String... args) {
    List<String> command = new ArrayList<>(List.of("docker-compose", "-f", REPO.resolve("deploy/compose.yml").toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  private Commands.Result shoal(String... args) {
    return Commands.run(shoalCommand(args));
  }

  /** The README's bin/shoal, against the stack, in a JVM per call (no daemon left behind). */
  private List<String> shoalCommand(String... args) {
    List<String> command = new ArrayList<>(List.of("env", "SHOAL_HOST=127.0.0.1:" + env.get("SHOAL_CONTROL_PORT"),
        "SHOAL_CERT_PATH=" + certs, "SHOAL_CLI_DAEMON=0", "XDG_RUNTIME_DIR=" + runtime, "bash",
        REPO.resolve("bin/shoal").toString()));
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Runs {@code command} with the stack's variables; fails with its output and the stack's logs
   * unless it succeeds in time (`up -d` waits for healthy parts: a part that cannot start makes it
   * time out, and only the logs say why).
   */
  private String run(List<String> command) {
    List<String> withEnv = new ArrayList<>(List.of("env"));
    env.forEach((k, v) -> withEnv.add(k + "=" + v));
    withEnv.addAll(command);
    Commands.Result r;
    try {
      r = Commands.run(withEnv);
    } catch (IllegalStateException timedOut) {
      throw new AssertionError(timedOut.getMessage() + "\nthe stack's logs:\n" + stackLogs(), timedOut);
    }
    if (!r.ok()) {
      throw new AssertionError(String.join(" ", command) + " failed (" + r.exitCode() + "):\n" + r.stdout() + r.stderr()
          + "\nthe stack's logs:\n" + stackLogs());
    }
    return r.stdout();
  }

  private String stackLogs() {
    return Commands.run(List.of("env", "DOCKER_HOST=" + env.get("DOCKER_HOST"), "COMPOSE_PROJECT_NAME=" + project,
        "docker-compose", "-f", REPO.resolve("deploy/compose.yml").toString(), "logs", "--tail", "30")).stdout();
  }

  private static String get(String url) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
