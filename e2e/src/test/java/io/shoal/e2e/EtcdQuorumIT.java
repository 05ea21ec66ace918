package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.testing.Commands;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.EtcdMembers;
import io.shoal.testing.Lab;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Shoal on a three-member etcd (#16, item 2), every part given all three endpoints: with one
 * member killed in the middle of a rolling update the API keeps serving and the update
 * completes; with two killed (no quorum) a call fails within its deadline with UNAVAILABLE in
 * one readable line, and once a member is back everything resumes with nothing lost.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdQuorumIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private LocalCluster cluster;
  private String image;

  @BeforeAll
  void start(Lab lab, DockerTestEngine docker, RegistryTestServer local) {
    RegistryTestServer registry = lab.registry(local);
    cluster = LocalCluster.onEtcdMembers(lab, lab.hosts().subList(0, 1), 3, registry);
    cluster.awaitReadyNodes(WAIT);
    image = TestImages.busybox(registry, "e2e/quorum:1").push(docker);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void oneMemberLostMidUpdateTheUpdateCompletesTwoLostCallsFailFastAndAllResumes() {
    EtcdMembers etcd = cluster.etcdMembers();
    // --init: `sleep` as PID 1 ignores SIGTERM, so every stop would wait out the 10 s grace and
    // the update's time would measure that, not the lost member.
    cluster.succeed("service", "create", "--name", "quorum", "--replicas", "4", "--update-parallelism", "1",
        "--update-delay", "1s", "--env", "STEP=1", "--init", image, "sleep", "1d");

    cluster.succeed("service", "update", "--detach", "--env-add", "STEP=2", "quorum");
    etcd.kill(0);
    long killed = System.nanoTime();

    // The API keeps serving on two members, and the rolling update goes on to the end.
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(cluster.succeed("service", "inspect", "--format", "{{.UpdateStatus.State}}", "quorum").strip())
          .isEqualTo("completed");
      List<LocalCluster.TaskRow> running = cluster.tasks("quorum").stream().filter(LocalCluster.TaskRow::running).toList();
      assertThat(running).hasSize(4);
    });
    System.out.printf("e2e: one etcd member of three killed mid-update; the update completed %d ms later%n",
        (System.nanoTime() - killed) / 1_000_000);
    assertThat(cluster.succeed("service", "inspect", "quorum")).contains("STEP=2");

    // No quorum: a call ends within its deadline, UNAVAILABLE, in one line.
    etcd.kill(1);
    long asked = System.nanoTime();
    Commands.Result refused = cluster.shoal("service", "ls");
    System.out.printf("e2e: without quorum `service ls` failed after %d ms: %s%n",
        (System.nanoTime() - asked) / 1_000_000, refused.stderr().strip());
    assertThat(refused.ok()).isFalse();
    assertThat(refused.stderr().strip().lines().toList()).as(refused.stderr()).singleElement().asString()
        .contains("cannot reach etcd").contains("(UNAVAILABLE)");

    // A member back: quorum again, and nothing was lost.
    etcd.restart(0);
    await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.shoal("service", "ls").ok()).isTrue());
    // Without quorum the agent's session lease could not be renewed past its grace, so the node
    // may have gone Down and its tasks been replaced: the service converges again.
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(cluster.tasks("quorum").stream().filter(LocalCluster.TaskRow::running)).hasSize(4));
    cluster.succeed("service", "scale", "quorum=5");
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(cluster.tasks("quorum").stream().filter(LocalCluster.TaskRow::running)).hasSize(5));
    etcd.restart(1);
    cluster.assertAlive();
  }
}
