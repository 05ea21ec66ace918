package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.e2e.LocalCluster.Container;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.Lab;
import io.shoal.testing.Lab.Host;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A UDP published port through the routing mesh on real containers on a lab of hosts: socat
 * tasks answer each datagram with their hostname, and every host's mesh address, a host without
 * a task of the service included (its mesh relays across the lab's network), relays datagrams to
 * the tasks and their replies back.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class, SharedClusterExtension.class})
class MeshUdpIT {
  // LocalCluster names each node after its host; this one runs no task.
  private static final String FREE_NODE = "h3";
  private static final int TARGET = 5353;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static LocalCluster cluster;
  private static DockerTestEngine docker;
  private static RegistryTestServer registry;

  @BeforeAll
  static void start(Lab lab, DockerTestEngine engine, RegistryTestServer local, LocalCluster shared) {
    docker = engine;
    registry = lab.registry(local);
    cluster = shared;
  }

  @Test
  void everyNodeRelaysDatagramsToTheTasksAndTheirRepliesBack() {
    String image = registry.image("e2e/udp-hostname:1");
    TestImages.busybox(registry, "e2e/udp-hostname:1").program(TestImages.SOCAT).push(docker);
    String freeAddr = cluster.host(FREE_NODE).address();
    int port = ExternalProcess.freePort();

    // Three tasks on the first two hosts. socat forks a child per datagram, which answers
    // "HOSTNAME DATAGRAM" from the task's port.
    cluster.succeed("service", "create", "--name", "udp-hostname", "--replicas", "3",
        "--timeout", "2m", "--publish", "published=" + port + ",target=" + TARGET + ",protocol=udp",
        "--constraint", "node.hostname!=" + FREE_NODE, "--init", image,
        "socat", "UDP-RECVFROM:" + TARGET + ",fork", "SYSTEM:read -r q; echo \"$(hostname) $q\"");
    String serviceId = cluster.serviceId("udp-hostname");
    Set<String> tasks = hostnames(cluster.containers(serviceId));
    assertThat(tasks).hasSize(3);
    assertThat(cluster.succeed("service", "ls")).contains("*:" + port + "->" + TARGET + "/udp");
    assertThat(cluster.succeed("service", "ps", "udp-hostname")).doesNotContainPattern("\\s" + FREE_NODE + "\\s");

    // A RUNNING task's socat may not be bound yet, and UDP says nothing of a lost datagram: wait
    // until each task has answered once, each try on a new flow (the next task in turn).
    long started = System.nanoTime();
    Set<String> answered = new HashSet<>();
    await().atMost(WAIT).untilAsserted(() -> {
      try (UdpFlowClient client = new UdpFlowClient(freeAddr, port)) {
        String reply = client.ask("warm-up", 1);
        if (reply != null) {
          answered.add(task(reply, "warm-up", tasks));
        }
      }
      assertThat(answered).as("tasks that answered through %s", freeAddr).containsAll(tasks);
    });
    long allAnsweredMs = (System.nanoTime() - started) / 1_000_000;

    List<Long> roundTrips = new ArrayList<>();
    for (String node : cluster.hosts.stream().map(Host::address).toList()) {
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

  private static Set<String> hostnames(List<Container> containers) {
    Set<String> names = new HashSet<>();
    for (Container c : containers) {
      names.add(c.inspect("{{.Config.Hostname}}"));
    }
    return names;
  }
}
