package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.e2e.LocalCluster.TaskRow;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.Lab;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * deploy/supervise.sh, which deploy/dev.sh runs every part under, on a real cluster: control
 * SIGKILLed comes back as a new process, and the cluster converges through it. (The supervisor's
 * backoff, stops and kill-agent's crash are deploy/test/supervise_test.sh's, on small processes.)
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class})
class SupervisedRestartIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void controlKilledComesBackUnderItsSupervisorAndTheClusterConverges(Lab lab, DockerTestEngine docker,
      RegistryTestServer local) {
    RegistryTestServer registry = lab.registry(local);
    try (LocalCluster cluster = new LocalCluster(lab, lab.hosts().subList(0, 1), registry)) {
      cluster.awaitReadyNodes(WAIT);
      cluster.supervise("control");
      Path state = cluster.supervisorState("control");
      await().atMost(WAIT).until(() -> childPid(state).isPresent() && cluster.shoal("node", "ls").ok());
      long first = childPid(state).orElseThrow();

      ProcessHandle.of(first).orElseThrow().destroyForcibly();

      await().atMost(WAIT).until(() -> childPid(state).isPresent() && childPid(state).getAsLong() != first
          && cluster.shoal("node", "ls").ok());
      assertThat(read(state.resolve("restarts"))).isEqualTo("1");
      assertThat(cluster.log("control")).contains("control died (SIGKILL)");
      TestImages.busybox(registry, "e2e/supervised:1").push(docker);
      cluster.succeed("service", "create", "--name", "sup", "--replicas", "2", registry.image("e2e/supervised:1"),
          "sleep", "1d");
      cluster.serviceId("sup");
      assertThat(cluster.tasks("sup")).filteredOn(TaskRow::running).hasSize(2);
    }
  }

  /** The pid of the part its supervisor runs now, if one runs (the file goes while it restarts it). */
  private static OptionalLong childPid(Path state) {
    try {
      String pid = Files.readString(state.resolve("child.pid")).strip();
      return pid.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(pid));
    } catch (java.nio.file.NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
