package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A UDP published port through the routing mesh on real containers: socat tasks answer each
 * datagram with their hostname, and every node's mesh address, a node without a task of the
 * service included, relays datagrams to the tasks and their replies back.
 */
@ExtendWith({EtcdExtension.class, DockerExtension.class, RegistryExtension.class})
class MeshUdpIT {
  // 127.0.0.5x: apart from every other test's node addresses.
  private static final List<String> NODES = List.of("127.0.0.51", "127.0.0.52", "127.0.0.53");
  // LocalCluster names the node on NODES.get(i) "e2e-node-(i+1)"; this one runs no task.
  private static final String FREE_NODE = "e2e-node-3";
  private static final String FREE_ADDR = NODES.get(2);
  private static final int TARGET = 5353;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static LocalCluster cluster;
  private static DockerTestEngine docker;

  @BeforeAll
  static void start(EtcdTestCluster etcd, DockerTestEngine engine) {
    docker = engine;
    cluster = new LocalCluster(etcd, docker, NODES);
    cluster.awaitReadyNodes(WAIT);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void everyNodeRelaysDatagramsToTheTasksAndTheirRepliesBack(RegistryTestServer registry) {
    String image = registry.image("e2e/udp-hostname") + ":1";
    TestImages.busybox(image).program(TestImages.SOCAT).push(docker);
    int port = ExternalProcess.freePort();

    // Three tasks on the first two nodes. socat forks a child per datagram, which answers
    // "HOSTNAME DATAGRAM" from the task's port.
    cluster.succeed("service", "create", "--name", "udp-hostname", "--replicas", "3",
        "--timeout", "2m", "--publish", "published=" + port + ",target=" + TARGET + ",protocol=udp",
        "--constraint", "node.hostname!=" + FREE_NODE, "--init", image,
        "socat", "UDP-RECVFROM:" + TARGET + ",fork", "SYSTEM:read -r q; echo \"$(hostname) $q\"");
    String serviceId = cluster.serviceId("udp-hostname");
    Set<String> tasks = hostnames(docker.containerIds("io.shoal.service.id=" + serviceId));
    assertThat(tasks).hasSize(3);
    assertThat(cluster.succeed("service", "ls")).contains("*:" + port + "->" + TARGET + "/udp");
    assertThat(cluster.succeed("service", "ps", "udp-hostname")).doesNotContain(FREE_NODE);

    // A RUNNING task's socat may not be bound yet, and UDP says nothing of a lost datagram: wait
    // until each task has answered once, each try on a new flow (the next task in turn).
    long started = System.nanoTime();
    Set<String> answered = new HashSet<>();
    await().atMost(WAIT).untilAsserted(() -> {
      try (UdpFlowClient client = new UdpFlowClient(FREE_ADDR, port)) {
        String reply = client.ask("warm-up", 1);
        if (reply != null) {
          answered.add(task(reply, "warm-up", tasks));
        }
      }
      assertThat(answered).as("tasks that answered through %s", FREE_ADDR).containsAll(tasks);
    });
    long allAnsweredMs = (System.nanoTime() - started) / 1_000_000;

    List<Long> roundTrips = new ArrayList<>();
    for (String node : NODES) {
      Set<String> reached = new HashSet<>();
      for (int flow = 1; flow <= tasks.size(); flow++) {
        try (UdpFlowClient client = new UdpFlowClient(node, port)) {
          String question = node + " flow " + flow;
          long sent = System.nanoTime();
          String task = task(client.ask(question, 3), question, tasks);
          roundTrips.add((System.nanoTime() - sent) / 1000);
          for (int again = 1; again <= 3; again++) {
            assertThat(task(client.ask(question + "." + again, 3), question + "." + again, tasks))
                .as("a flow's datagrams stay on its task").isEqualTo(task);
          }
          reached.add(task);
        }
      }
      // Successive flows go round the tasks: one each, whatever task the node's rotation starts at.
      assertThat(reached).as("tasks reached by %d flows to %s", tasks.size(), node)
          .containsExactlyInAnyOrderElementsOf(tasks);
    }

    Collections.sort(roundTrips);
    System.out.printf("e2e: udp mesh: every task answering %d ms after create; first datagram of "
            + "a flow round trip median %d us, max %d us (%d flows over 3 nodes)%n",
        allAnsweredMs, roundTrips.get(roundTrips.size() / 2), roundTrips.get(roundTrips.size() - 1),
        roundTrips.size());
  }

  /** The task that sent {@code reply} to {@code question}, checked to be one of {@code tasks}. */
  private static String task(String reply, String question, Set<String> tasks) {
    assertThat(reply).as("the reply to %s", question).isNotNull().endsWith(" " + question);
    String hostname = reply.substring(0, reply.length() - question.length() - 1);
    assertThat(tasks).as("replied by %s", hostname).contains(hostname);
    return hostname;
  }

  private static Set<String> hostnames(List<String> containers) {
    Set<String> names = new HashSet<>();
    for (String c : containers) {
      names.add(docker.inspect("{{.Config.Hostname}}", c));
    }
    return names;
  }
}
