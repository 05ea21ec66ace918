package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.e2e.LocalCluster.TaskRow;
import io.shoal.testing.Commands;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.Lab;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Swarm's healthchecks on a real cluster: a task with a healthcheck (the spec's or the image's)
 * is Starting until the check passes, then Running; one that turns unhealthy fails and the
 * restart policy replaces it; a rolling update does not count a new task that never gets
 * healthy, so the update stops there (--update-failure-action pause) with old tasks still running.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class, SharedClusterExtension.class})
class HealthcheckIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** Becomes ready after 3 s (the healthchecks look for /tmp/ready), then idles until stopped. */
  private static final String READY_LATER =
      "trap 'exit 0' TERM INT; sleep 3; touch /tmp/ready; sleep 100000 & wait";
  private static final String IDLE = "trap 'exit 0' TERM INT; sleep 100000 & wait";

  private static LocalCluster cluster;
  private static String image;
  private static String imageWithHealthcheck;

  @BeforeAll
  static void start(Lab lab, DockerTestEngine docker, RegistryTestServer local, LocalCluster shared) {
    RegistryTestServer registry = lab.registry(local);
    TestImages.busybox(registry, "e2e/health:1").push(docker);
    TestImages.busybox(registry, "e2e/health-image:1")
        .healthcheck("--interval=500ms --retries=100 CMD test -f /tmp/ready").push(docker);
    image = registry.image("e2e/health:1");
    imageWithHealthcheck = registry.image("e2e/health-image:1");
    cluster = shared;
  }

  @Test
  void aTaskIsStartingUntilItsHealthcheckPassesThenRunning() {
    cluster.succeed("service", "create", "-d", "--name", "hc-ready", "--health-cmd", "test -f /tmp/ready",
        "--health-interval", "500ms", "--health-retries", "100", image, "sh", "-c", READY_LATER);
    cluster.serviceId("hc-ready");

    awaitStartingThenRunning("hc-ready");
    assertThat(cluster.succeed("service", "inspect", "--pretty", "hc-ready"))
        .contains(" Healthcheck:").contains("\t Test = CMD-SHELL").contains("\t Test = test -f /tmp/ready");
  }

  @Test
  void theImagesHealthcheckCountsAndNoHealthcheckTurnsItOff() {
    cluster.succeed("service", "create", "-d", "--name", "hc-image", imageWithHealthcheck, "sh", "-c", READY_LATER);
    String id = cluster.serviceId("hc-image");

    awaitStartingThenRunning("hc-image");

    cluster.succeed("service", "update", "-d", "--no-healthcheck", "hc-image");
    await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.containers(id))
        .filteredOn(c -> c.tryInspect("{{.State.Running}}").stdout().strip().equals("true"))
        .singleElement()
        .satisfies(c -> assertThat(c.inspect("{{json .Config.Healthcheck.Test}}")).contains("[\"NONE\"]")));
    await().atMost(WAIT).until(() -> cluster.tasks("hc-image").stream().anyMatch(TaskRow::running));
  }

  @Test
  void anUnhealthyTaskFailsAndTheRestartPolicyReplacesIt() {
    cluster.succeed("service", "create", "-d", "--name", "hc-sick", "--health-cmd", "false",
        "--health-interval", "300ms", "--health-retries", "1", "--restart-delay", "1s", image, "sh", "-c", IDLE);
    cluster.serviceId("hc-sick");

    await().atMost(WAIT).untilAsserted(() -> {
      List<TaskRow> tasks = cluster.tasks("hc-sick");
      assertThat(tasks).hasSizeGreaterThanOrEqualTo(2);
      assertThat(tasks).anyMatch(t -> t.current().equals("Failed"));
    });
    assertThat(cluster.succeed("service", "ps", "--no-trunc", "hc-sick")).contains("task: unhealthy container");
  }

  @Test
  void aRollingUpdateDoesNotCountATaskThatNeverGetsHealthy() {
    cluster.succeed("service", "create", "--name", "hc-update", "--replicas", "2", image, "sh", "-c", IDLE);
    cluster.serviceId("hc-update");

    Commands.Result update = cluster.shoal("service", "update", "--health-cmd", "false", "--health-interval", "300ms",
        "--health-retries", "1", "--update-parallelism", "1", "--update-failure-action", "pause",
        "--update-monitor", "2s", "hc-update");

    // Docker's end of the wait: the update paused, exit 1.
    assertThat(update.exitCode()).as(update.stdout() + update.stderr()).isEqualTo(1);
    assertThat(update.stderr()).contains("shoal: service update paused: ");
    assertThat(cluster.succeed("service", "inspect", "--pretty", "hc-update")).containsPattern("State:\\s+paused");
    // The second slot kept its old task: the update stopped at the first, never-healthy one.
    assertThat(cluster.tasks("hc-update")).filteredOn(TaskRow::running).isNotEmpty();
  }

  @Test
  void anUpdateRolledBackAutomaticallyExitsNonZeroWithDockersMessage() {
    cluster.succeed("service", "create", "--name", "hc-rollback", image, "sh", "-c", IDLE);
    cluster.serviceId("hc-rollback");

    Commands.Result update = cluster.shoal("service", "update", "--health-cmd", "false", "--health-interval",
        "300ms", "--health-retries", "1", "--update-failure-action", "rollback", "--update-monitor", "2s",
        "hc-rollback");

    assertThat(update.exitCode()).as(update.stdout() + update.stderr()).isEqualTo(1);
    assertThat(update.stderr()).contains("shoal: service rolled back: ");
    await().atMost(WAIT).until(() -> cluster.tasks("hc-rollback").stream().anyMatch(TaskRow::running));
  }

  /** Sees the service's one task Starting (its check not passed yet), then Running. */
  private static void awaitStartingThenRunning(String service) {
    AtomicBoolean sawStarting = new AtomicBoolean();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      List<TaskRow> tasks = cluster.tasks(service);
      if (tasks.stream().anyMatch(t -> t.current().equals("Starting"))) {
        sawStarting.set(true);
      }
      return sawStarting.get() && tasks.stream().anyMatch(TaskRow::running);
    });
  }
}
