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
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code shoal service logs} (issue #13, item 4) on two hosts: the lines come from each host's
 * agent through control, with Docker's prefix; --tail, a task argument, -f across a rolling
 * update, and bad input. One cluster for every test.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceLogsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /**
   * One line on stderr, then five numbered lines on stdout, then quiet (stdout and stderr are two
   * pipes: dockerd keeps their order only when they are written apart).
   */
  private static final String FIVE_LINES =
      "echo 'err line' >&2; sleep 1; for i in 1 2 3 4 5; do echo \"line $i\"; done; sleep 1d";
  private static final Pattern PREFIXED =
      Pattern.compile("^(five)\\.([12])\\.([0-9a-z]{12})@(h[0-9]+) *\\| (.*)$");

  private LocalCluster cluster;
  private String image;

  @BeforeAll
  void start(Lab lab, DockerTestEngine docker, RegistryTestServer local) {
    RegistryTestServer registry = lab.registry(local);
    cluster = new LocalCluster(lab, lab.hosts().subList(0, 2), registry);
    cluster.awaitReadyNodes(WAIT);
    image = TestImages.busybox(registry, "e2e/logs:1").push(docker);
    cluster.succeed("service", "create", "--name", "five", "--replicas", "2", "--replicas-max-per-node", "1",
        image, "sh", "-c", FIVE_LINES);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static List<String> lines(String output) {
    return output.isEmpty() ? List.of() : Arrays.asList(output.split("\n"));
  }

  @Test
  void aServiceOnTwoHostsGivesEveryTasksLinesInOrderWithDockersPrefix() {
    Commands.Result[] last = new Commands.Result[1];
    await().atMost(WAIT).untilAsserted(() -> {
      last[0] = cluster.succeeded(cluster.shoal("service", "logs", "five"), "service", "logs", "five");
      assertThat(lines(last[0].stdout())).hasSize(10);
      assertThat(lines(last[0].stderr())).hasSize(2);
    });
    Map<String, List<String>> byTask = lines(last[0].stdout()).stream()
        .map(l -> {
          Matcher m = PREFIXED.matcher(l);
          assertThat(m.matches()).as("prefixed: %s", l).isTrue();
          return m;
        })
        .collect(Collectors.groupingBy(m -> m.group(2) + "@" + m.group(4),
            Collectors.mapping(m -> m.group(5), Collectors.toList())));
    assertThat(byTask).hasSize(2);
    assertThat(byTask.keySet().stream().map(k -> k.substring(k.indexOf('@') + 1)).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("h1", "h2");
    byTask.values().forEach(l -> assertThat(l).containsExactly("line 1", "line 2", "line 3", "line 4", "line 5"));
    assertThat(lines(last[0].stderr())).allSatisfy(l -> assertThat(l).matches("^five\\.[12]\\.[0-9a-z]{12}@h[12] *\\| err line$"));
  }

  @Test
  void tailStartsAtTheEndOfEachTasksLogAndNoTaskIdsDropsTheId() {
    Commands.Result tail = cluster.succeeded(cluster.shoal("service", "logs", "--tail", "2", "--no-task-ids", "five"));
    assertThat(lines(tail.stdout())).hasSize(4).allSatisfy(l -> assertThat(l).matches("^five\\.[12]@h[12] *\\| line [45]$"));
    assertThat(lines(tail.stdout()).stream().filter(l -> l.endsWith("line 5")).count()).isEqualTo(2);
    assertThat(tail.stderr()).isEmpty();
  }

  @Test
  void aTaskIdGivesThatTasksLinesAloneRawWithTimestamps() {
    String taskId = lines(cluster.succeed("service", "ps", "-q", "--no-trunc", "five")).get(0).strip();
    Commands.Result raw = cluster.succeeded(cluster.shoal("service", "logs", "--raw", "-t", taskId));
    assertThat(lines(raw.stdout())).hasSize(5)
        .allSatisfy(l -> assertThat(l).matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z line \\d$"));
    assertThat(lines(raw.stdout()).get(4)).endsWith(" line 5");
  }

  @Test
  void followGoesOnAcrossARollingUpdateWithTheNewTasksLines() {
    String ticker = "i=0; while true; do i=$((i+1)); echo \"$VERSION tick $i\"; sleep 0.2; done";
    cluster.succeed("service", "create", "--name", "ticker", "--env", "VERSION=v1", image, "sh", "-c", ticker);
    try (ExternalProcess follow = cluster.startShoal("logs-follow", "service", "logs", "-f", "ticker")) {
      awaitFollowed("v1 tick 3");
      cluster.succeed("service", "update", "--env-add", "VERSION=v2", "ticker");
      awaitFollowed("v2 tick 3");
      assertThat(follow.isAlive()).isTrue();
      // Each task's ticks arrive whole and in order.
      for (String version : List.of("v1", "v2")) {
        List<Integer> ticks = lines(cluster.log("logs-follow")).stream()
            .filter(l -> l.contains("| " + version + " tick "))
            .map(l -> Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1))).toList();
        assertThat(ticks).as(version).startsWith(1, 2, 3).isSorted().doesNotHaveDuplicates();
        assertThat(ticks.get(ticks.size() - 1)).isEqualTo(ticks.size());
      }
    } finally {
      cluster.succeed("service", "rm", "ticker");
    }
  }

  private void awaitFollowed(String text) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.log("logs-follow"))
        .as(() -> "service logs -f; the cluster:\n" + cluster.logs()).contains(text));
  }

  @Test
  void badInputIsOneLineNamingTheValue() {
    Commands.Result since = cluster.shoal("service", "logs", "--since", "yesterday", "five");
    assertThat(since.ok()).isFalse();
    assertThat(lines(since.stderr().strip())).singleElement().asString().contains("--since").contains("\"yesterday\"");
    Commands.Result tail = cluster.shoal("service", "logs", "--tail", "-2", "five");
    assertThat(tail.ok()).isFalse();
    assertThat(lines(tail.stderr().strip())).singleElement().asString().contains("--tail").contains("\"-2\"");
    Commands.Result unknown = cluster.shoal("service", "logs", "nosuchthing");
    assertThat(unknown.ok()).isFalse();
    assertThat(lines(unknown.stderr().strip())).singleElement().asString()
        .contains("no such service or task: nosuchthing");
  }
}
