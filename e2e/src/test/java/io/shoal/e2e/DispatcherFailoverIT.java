package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.e2e.LocalCluster.Container;
import io.shoal.e2e.LocalCluster.TaskRow;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.Lab;
import io.shoal.testing.Lab.Host;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Agents given two dispatchers (`--dispatcher a,b`) move to the other when the one they use dies. */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class})
class DispatcherFailoverIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** Three heartbeat periods (the default 2 s): how long a lost session's lease outlives it. */
  private static final Duration GRACE = Duration.ofSeconds(6);

  private LocalCluster cluster;
  private RegistryTestServer registry;
  private DockerTestEngine docker;

  @BeforeEach
  void start(Lab lab, DockerTestEngine docker, RegistryTestServer local) {
    this.docker = docker;
    registry = lab.registry(local);
    cluster = new LocalCluster(lab, lab.hosts().subList(0, 2), 2, registry);
    cluster.awaitReadyNodes(WAIT);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void killingTheDispatcherInUseMovesTheNodeToTheOtherReadyAndWithItsTasksRunning() {
    TestImages.busybox(registry, "e2e/failover:1").push(docker);
    cluster.succeed("service", "create", "--name", "fo", "--replicas", "2", "--replicas-max-per-node", "1",
        registry.image("e2e/failover:1"), "sleep", "1d");
    String id = cluster.serviceId("fo");
    List<Container> before = cluster.containers(id);
    List<String> taskIds = cluster.tasks("fo").stream().filter(TaskRow::running).map(TaskRow::id).toList();
    assertThat(taskIds).hasSize(2);

    Host h1 = cluster.host("h1");
    String inUse = cluster.sessionDispatcher(h1).orElseThrow();
    int index = cluster.dispatcherAddrs.indexOf(inUse);
    String other = cluster.dispatcherAddrs.get(1 - index);
    cluster.killPart(index == 0 ? "dispatcher" : "dispatcher-2");

    await().atMost(WAIT).until(() -> cluster.sessionDispatcher(h1).equals(Optional.of(other)));
    // Past the dead session's lease: the node never turned Down, and nothing was replaced.
    await().during(GRACE.plusSeconds(2)).atMost(GRACE.plusSeconds(20)).until(() ->
        cluster.nodeStatus("h1").equals("Ready") && cluster.nodeStatus("h2").equals("Ready"));
    assertThat(cluster.tasks("fo")).filteredOn(TaskRow::running).extracting(TaskRow::id)
        .containsExactlyInAnyOrderElementsOf(taskIds);
    assertThat(cluster.containers(id)).containsExactlyInAnyOrderElementsOf(before);
  }
}
