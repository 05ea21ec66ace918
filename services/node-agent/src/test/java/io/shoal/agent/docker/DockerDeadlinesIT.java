package io.shoal.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.agent.exec.EngineException;
import io.shoal.common.registry.ImageReference;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.testing.Commands;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.ExternalProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's deadlines against a dockerd of the test's own, frozen with SIGSTOP: a call fails
 * with the deadline's reason instead of blocking its thread for ever, and once dockerd thaws the
 * same client works again. A dockerd of its own, since freezing the shared one would stall every
 * other test; in a network namespace of its own, because a dockerd started with --bridge=none
 * deletes the docker0 of its namespace, which the shared engine's containers need.
 */
@Tag("docker")
class DockerDeadlinesIT {
  private static final Logger log = LoggerFactory.getLogger(DockerDeadlinesIT.class);
  private static final Duration CALL = Duration.ofSeconds(2);
  private static final Duration PULL = Duration.ofSeconds(3);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private Path dir;
  private ExternalProcess dockerd;
  private String host;
  private boolean frozen;
  private final ExecutorService caller = Executors.newSingleThreadExecutor();
  private final TimeoutCounter counter = new TimeoutCounter(Telemetry.noop());
  private DockerEngine engine;

  @BeforeEach
  void startDockerd() throws IOException {
    // Short path: dockerd's and containerd's sockets must fit in 108 bytes.
    dir = Files.createTempDirectory(Path.of("/tmp"), "shoal-dd");
    host = "unix://" + dir.resolve("docker.sock");
    DockerTestEngine cli = new DockerTestEngine(host);
    dockerd = ExternalProcess.start("dockerd", List.of("unshare", "--net", "dockerd", "--bridge=none", "--iptables=false",
        "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
        "--pidfile", dir.resolve("docker.pid").toString(), "-H", host), dir);
    dockerd.awaitReady(Duration.ofSeconds(60), () -> cli.tryDocker("version").ok());
    DockerTimeouts timeouts = new DockerTimeouts(CALL, PULL);
    engine = new DockerEngine(DockerModule.connect(host, timeouts, counter), timeouts, counter);
  }

  @AfterEach
  void stopDockerd() throws InterruptedException {
    if (frozen) {
      signal("CONT");
    }
    if (engine != null) {
      engine.close();
    }
    caller.shutdownNow();
    caller.awaitTermination(10, TimeUnit.SECONDS);
    dockerd.close();
    try {
      ExternalProcess.deleteTree(dir);
    } catch (RuntimeException e) {
      // A mount dockerd left behind keeps files busy; the temp dir is then left.
      log.warn("could not delete {}: {}", dir, e.toString());
    }
  }

  private void signal(String name) {
    Commands.run(List.of("kill", "-" + name, Long.toString(dockerd.pid()))).orThrow();
    frozen = name.equals("STOP");
  }

  @Test
  void callsToAFrozenDockerdFailAtTheirDeadlineAndTheClientWorksOnceItThaws() throws Exception {
    assertThat(engine.info().version()).isNotBlank();
    signal("STOP");

    Future<String> outcome = caller.submit(() -> {
      StringBuilder seen = new StringBuilder();
      for (Runnable call : List.<Runnable>of(
          () -> engine.listContainers(Map.of()),
          () -> engine.pull(ImageReference.parse("127.0.0.1:5000/shoal-test/frozen:1", "image")))) {
        try {
          call.run();
          seen.append("answered\n");
        } catch (EngineException e) {
          seen.append(e.getMessage()).append('\n');
        }
        // The deadline's interrupt must not outlive the call: the worker goes on with its next task.
        seen.append("interrupted=").append(Thread.currentThread().isInterrupted()).append('\n');
      }
      return seen.toString();
    });

    await().atMost(WAIT).until(outcome::isDone);
    assertThat(outcome.get()).isEqualTo("""
        list containers: dockerd did not answer within 2s (--docker-timeout)
        interrupted=false
        pull 127.0.0.1:5000/shoal-test/frozen:1: dockerd did not finish the pull within 3s (--pull-timeout)
        interrupted=false
        """);
    assertThat(counter.total()).isEqualTo(2);

    signal("CONT");
    assertThat(engine.listContainers(Map.of())).isEmpty();
    assertThat(engine.info().version()).isNotBlank();
  }
}
