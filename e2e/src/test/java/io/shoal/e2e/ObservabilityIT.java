package io.shoal.e2e;

import static io.shoal.e2e.ZipkinTraces.first;
import static io.shoal.e2e.ZipkinTraces.firstStartingWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.shoal.e2e.ZipkinTraces.Span;
import io.shoal.testing.Commands;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.Lab;
import io.shoal.testing.LabExtension;
import io.shoal.testing.PrometheusServer;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import io.shoal.testing.ZipkinServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an operator sees of a cluster (issue #13), on one two-host cluster whose every part sends
 * spans to a real Zipkin and is scraped by a real Prometheus that finds it through control, and
 * whose control serves the cluster page: traces, metrics, the page and logs. One cluster for all
 * four (each nested class names its own services) keeps the e2e run inside CI's budget.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private ZipkinServer zipkin;
  private PrometheusServer prometheus;
  private LocalCluster cluster;
  private RegistryTestServer registry;
  private DockerTestEngine docker;
  private String pageUrl;

  @BeforeAll
  void start(Lab lab, DockerTestEngine docker, RegistryTestServer local) {
    this.docker = docker;
    registry = lab.registry(local);
    zipkin = ZipkinServer.start(lab.bridgeAddress());
    int prometheusPort = ExternalProcess.freePort();
    int webPort = ExternalProcess.freePort();
    pageUrl = "http://127.0.0.1:" + webPort + "/";
    cluster = new LocalCluster(lab, lab.hosts().subList(0, 2), 1, List.of("--trace-endpoint", zipkin.endpoint()),
        List.of("--web-listen", "127.0.0.1:" + webPort,
            "--prometheus-url", "http://" + lab.bridgeAddress() + ":" + prometheusPort),
        registry);
    cluster.awaitReadyNodes(WAIT);
    // Given only control's metrics address, it finds every other part through control.
    prometheus = PrometheusServer.start(lab.bridgeAddress(), prometheusPort, cluster.prometheusConfig("1s"));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (zipkin != null) {
      zipkin.close();
    }
  }

  private static List<String> lines(String output) {
    return output.isEmpty() ? List.of() : Arrays.asList(output.split("\n"));
  }

  /**
   * One command, one trace, through every part (item 1): the trace of a create holds the CLI's
   * command, control's call, the registry service's manifest request, the etcd txn, the
   * scheduler's placement, the dispatcher's assignment and the agent's pull, create and start, in
   * that order, read back from Zipkin; an update's and a removal's traces reach the agent too.
   */
  @Nested
  class Traces {
    private Commands.Result traced(String... args) {
      return cluster.succeeded(cluster.shoalWith(Map.of("SHOAL_TRACE_ENDPOINT", zipkin.endpoint()), null, args), args);
    }

    private List<Span> awaitTrace(String command, String last) {
      return new ZipkinTraces(zipkin).awaitTrace(command, last, WAIT);
    }

    @Test
    void aCreateIsOneTraceFromTheCliToTheAgentsContainerStartInOrder() {
      // An image no engine of the lab has, by its tag: the registry service resolves it and the
      // agent pulls it, inside the trace.
      TestImages.busybox(registry, "e2e/traced:1").push(docker);
      traced("service", "create", "--name", "traced", registry.image("e2e/traced") + ":1", "sleep", "1d");

      List<Span> trace = awaitTrace("shoal service create", "start container");
      assertThat(trace.stream().map(Span::service).collect(Collectors.toSet())).containsAll(Set.of(
          "shoal-cli", "shoal-control", "shoal-registry", "shoal-scheduler", "shoal-dispatcher", "shoal-node-agent"));
      List<Span> path = List.of(
          first(trace, "shoal-cli", "shoal service create"),
          first(trace, "shoal-control", "shoal.v1.controlservice/createservice"),
          first(trace, "shoal-registry", "head"),
          first(trace, "shoal-control", "etcd txn"),
          first(trace, "shoal-scheduler", "schedule traced"),
          first(trace, "shoal-scheduler", "place tasks"),
          first(trace, "shoal-dispatcher", "assign traced.1"),
          firstStartingWith(trace, "shoal-node-agent", "pull "),
          first(trace, "shoal-node-agent", "create container"),
          first(trace, "shoal-node-agent", "start container"));
      assertThat(path).isSortedAccordingTo(Comparator.comparingLong(Span::timestamp));
      // The hops through etcd are parent and child, not only the same trace id.
      Span schedule = first(trace, "shoal-scheduler", "schedule traced");
      assertThat(schedule.parentId()).isEqualTo(first(trace, "shoal-control", "shoal.v1.controlservice/createservice").id());
      assertThat(first(trace, "shoal-node-agent", "start container").parentId()).isEqualTo(schedule.id());
    }

    @Test
    void anUpdateIsOneTraceToTheAgentThatStopsTheOldContainerAndStartsTheNew() {
      String image = TestImages.busybox(registry, "e2e/traced-update:1").push(docker);
      // --init: `sleep` as PID 1 ignores SIGTERM; the stop would wait out its 10 s grace.
      cluster.succeed("service", "create", "--name", "retraced", "--init", image, "sleep", "1d");
      traced("service", "update", "--env-add", "STEP=2", "retraced");

      List<Span> trace = awaitTrace("shoal service update", "start container");
      assertThat(trace.stream().map(Span::service).collect(Collectors.toSet()))
          .contains("shoal-cli", "shoal-control", "shoal-scheduler", "shoal-dispatcher", "shoal-node-agent");
      assertThat(trace.stream().map(Span::name))
          .contains("schedule retraced", "stop container", "create container", "start container");
    }

    @Test
    void aRemovalIsOneTraceToTheAgentThatStopsAndRemovesTheContainer() {
      String image = TestImages.busybox(registry, "e2e/traced-rm:1").push(docker);
      cluster.succeed("service", "create", "--name", "untraced", "--init", image, "sleep", "1d");
      traced("service", "rm", "untraced");

      List<Span> trace = awaitTrace("shoal service rm", "remove container");
      assertThat(trace.stream().map(Span::service).collect(Collectors.toSet()))
          .contains("shoal-cli", "shoal-control", "shoal-scheduler", "shoal-dispatcher", "shoal-node-agent");
      assertThat(trace.stream().map(Span::name)).contains("etcd txn", "schedule untraced", "stop container");
    }

    @Test
    void aTraceStoreThatDoesNotAnswerNeitherFailsNorHoldsACommand() {
      // Port 9 of loopback: nothing listens; the spans are dropped when the command ends.
      Commands.Result listed = cluster.shoalWith(Map.of("SHOAL_TRACE_ENDPOINT", "http://127.0.0.1:9"), null,
          "service", "ls");
      assertThat(listed.ok()).as(listed.stderr()).isTrue();
      Commands.Result refused = cluster.shoalWith(Map.of("SHOAL_TRACE_ENDPOINT", "zipkin:9411"), null, "service", "ls");
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.stderr().strip())
          .isEqualTo("shoal: SHOAL_TRACE_ENDPOINT: expected http://HOST:PORT[/api/v2/spans] (Zipkin), got 'zipkin:9411'");
    }
  }

  /**
   * Prometheus (item 2), given only control's metrics address, finds every part through control
   * (HTTP service discovery), scrapes each over mutual TLS, and holds the cluster's series: tasks
   * and replicas per service, nodes, create-to-RUNNING times, the dispatcher's sessions and the
   * agents' container operations; the alert rules are loaded.
   */
  @Nested
  class Metrics {
    @Test
    void everyPartIsFoundThroughControlAndScrapedAndTheClusterSeriesAreThere() {
      String image = TestImages.busybox(registry, "e2e/metered:1").push(docker);
      cluster.succeed("service", "create", "--name", "metered", "--replicas", "2", image, "sleep", "1d");

      Map<String, Long> up = new TreeMap<>();
      await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        up.clear();
        for (JsonElement t : JsonParser.parseString(prometheus.targets()).getAsJsonObject()
            .getAsJsonObject("data").getAsJsonArray("activeTargets")) {
          JsonObject target = t.getAsJsonObject();
          if (target.get("health").getAsString().equals("up")) {
            up.merge(target.getAsJsonObject("labels").get("job").getAsString(), 1L, Long::sum);
          }
        }
        assertThat(up).as("targets up by job; prometheus log:\n" + prometheus.log()).isEqualTo(Map.of(
            "shoal-control", 1L, "shoal-registry", 1L, "shoal-scheduler", 1L, "shoal-dispatcher", 1L,
            "shoal-node-agent", 2L, "shoal-mesh-proxy", 2L));
      });

      await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        assertThat(value("shoal_cluster_service_replicas_running{service=\"metered\"}")).isEqualTo(List.of(2.0));
        assertThat(value("shoal_cluster_service_replicas_desired{service=\"metered\"}")).isEqualTo(List.of(2.0));
        assertThat(value("sum(shoal_cluster_tasks{service=\"metered\",state=\"running\"})")).isEqualTo(List.of(2.0));
        assertThat(value("sum(shoal_cluster_nodes{state=\"ready\"})")).isEqualTo(List.of(2.0));
        assertThat(value("sum(shoal_task_create_to_running_seconds_count)")).allMatch(n -> n >= 2);
        assertThat(value("sum(shoal_dispatcher_sessions)")).isEqualTo(List.of(2.0));
        assertThat(value("sum(shoal_agent_container_operations_total{operation=\"start\",result=\"ok\"})"))
            .allMatch(n -> n >= 2);
        assertThat(value("count(shoal_scheduler_pass_duration_seconds_count)")).isEqualTo(List.of(1.0));
        assertThat(value("sum(shoal_scheduler_leader)")).isEqualTo(List.of(1.0));
        // Open logs calls and log streams, exported even at zero.
        assertThat(value("sum(shoal_control_logs_calls)")).hasSize(1);
        assertThat(value("count(shoal_agent_log_streams)")).isEqualTo(List.of(2.0));
        // Every part's own series (not only the scrape's `up`), from each of the six jobs.
        assertThat(value("count(count by (job) ({job=~\"shoal-.*\",__name__!=\"up\",__name__!~\"scrape_.*\"}))"))
            .isEqualTo(List.of(6.0));
      });
      assertThat(prometheus.rules()).contains("ShoalNodeDown", "ShoalServiceNotConverged", "ShoalTaskRestartLoop",
          "ShoalMeshBackendErrors", "ShoalNoSchedulerLeader");
    }

    /** The values of an instant query's result. */
    private List<Double> value(String promql) {
      List<Double> values = new ArrayList<>();
      for (JsonElement r : JsonParser.parseString(prometheus.query(promql)).getAsJsonObject()
          .getAsJsonObject("data").getAsJsonArray("result")) {
        values.add(Double.parseDouble(r.getAsJsonObject().getAsJsonArray("value").get(1).getAsString()));
      }
      return values;
    }
  }

  /**
   * The cluster page (item 5) in headless Chromium: the hosts are columns; a created and then
   * scaled service's cards appear in them, coloured running, and its desired/running follow,
   * without a reload (the events stream); a service no node may run shows its pending reason; a
   * service's mesh graph draws Prometheus's points. Screenshots go to e2e/target/cluster-page/.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class ClusterPage {
    private static final Path SHOTS = Path.of("target", "cluster-page");
    /** page.css's .state-running background. */
    private static final String RUNNING_GREEN = "rgb(46, 125, 50)";

    private BrowserDriver browser;
    private String image;

    @BeforeAll
    void open() throws IOException {
      image = TestImages.busybox(registry, "e2e/page-web:1").file("/www/index.html", "page\n").push(docker);
      Files.createDirectories(SHOTS);
      browser = BrowserDriver.start();
      assertThat(browser.open(pageUrl)).isEqualTo(200);
    }

    @AfterAll
    void close() {
      if (browser != null) {
        browser.close();
      }
    }

    @Test
    @Order(1)
    void theHostsAreColumnsAndTheStreamIsLive() {
      JsonElement hosts = browser.waitFor("document.querySelectorAll('.host').length === 2"
          + " && document.getElementById('live').textContent === 'live'"
          + " && [...document.querySelectorAll('.host')].map(h => h.dataset.node).join(',')", WAIT);
      assertThat(hosts.getAsString().split(","))
          .containsExactlyInAnyOrderElementsOf(cluster.hosts.stream().map(Lab.Host::name).toList());
    }

    @Test
    @Order(2)
    void aScaledServicesNewCardsAppearInTheHostColumnsAsRunning() {
      cluster.succeed("service", "create", "--name", "web", "--replicas", "1", "--timeout", "2m", image,
          "sleep", "1d");
      browser.waitFor(runningCards("web", 1) + " && " + counts("web", 1, 1), WAIT);

      cluster.succeed("service", "scale", "web=4");
      // No reload: the events stream redraws the page.
      browser.waitFor(runningCards("web", 4) + " && " + counts("web", 4, 4), WAIT);
      JsonElement columns = browser.eval("[...document.querySelectorAll('.host')].map(h => h.dataset.node + '='"
          + " + h.querySelectorAll('.card[data-service=\"web\"]').length).join(',')");
      assertThat(columns.getAsString()).as("cards per host column").matches("[^=]+=\\d,[^=]+=\\d");
      int total = 0;
      for (String column : columns.getAsString().split(",")) {
        total += Integer.parseInt(column.substring(column.indexOf('=') + 1));
      }
      assertThat(total).isEqualTo(4);
      JsonElement colours = browser.eval("[...document.querySelectorAll('.card[data-service=\"web\"] .state')]"
          + ".map(s => getComputedStyle(s).backgroundColor).join(';')");
      assertThat(colours.getAsString().split(";")).hasSize(4).containsOnly(RUNNING_GREEN);
      browser.screenshot(SHOTS.resolve("scaled.png"));
    }

    @Test
    @Order(3)
    void aServiceNoNodeMayRunShowsItsPendingReason() {
      cluster.succeed("service", "create", "--detach", "--name", "stuck", "--constraint", "node.labels.zone==nowhere",
          image, "sleep", "1d");
      JsonElement reason = browser.waitFor("(() => { const c = document.querySelector("
          + "'#pending .card[data-service=\"stuck\"][data-state=\"pending\"] .reason');"
          + " return c && c.textContent; })()", WAIT);
      assertThat(reason.getAsString()).contains("no suitable node");
      browser.waitFor(counts("stuck", 1, 0), WAIT);
      browser.screenshot(SHOTS.resolve("pending.png"));
    }

    @Test
    @Order(4)
    void aServicesMeshGraphDrawsPrometheusPoints() {
      int port = ExternalProcess.freePort();
      cluster.succeed("service", "create", "--name", "pub", "--replicas", "1", "--publish", port + ":80",
          "--timeout", "2m", "--workdir", "/www", "--user", "0", "--init", image, "httpd", "-f", "-p", "80");
      String addr = cluster.hosts.get(0).address();
      await().atMost(WAIT).until(() -> answers(addr, port));
      JsonElement points = browser.waitFor("(() => { const s = document.querySelector("
          + "'#service-pub .graph[data-graph=\"mesh_connections_rate\"] svg');"
          + " return s && +s.dataset.points >= 2 && s.querySelector('polyline') && +s.dataset.points; })()",
          WAIT);
      // A line, not a lone point: Prometheus answered a range.
      assertThat(points.getAsInt()).isGreaterThanOrEqualTo(2);
      browser.screenshot(SHOTS.resolve("graphs.png"));
    }

    private static String runningCards(String service, int n) {
      return "document.querySelectorAll('.host .card[data-service=\"" + service + "\"][data-state=\"running\"]').length"
          + " === " + n;
    }

    private static String counts(String service, int desired, int running) {
      return "(() => { const s = document.getElementById('service-" + service + "');"
          + " return !!s && s.dataset.desired === '" + desired + "' && s.dataset.running === '" + running + "'; })()";
    }

    private static boolean answers(String addr, int port) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(addr, port), 2000);
        socket.setSoTimeout(5000);
        socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
        return new String(socket.getInputStream().readAllBytes()).contains(" 200 ");
      } catch (IOException e) {
        return false;
      }
    }
  }

  /**
   * {@code shoal service logs} (item 4): the lines come from each host's agent through control,
   * with Docker's prefix; --tail, a task argument, -f across a rolling update, and bad input.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Logs {
    /**
     * One line on stderr, then five numbered lines on stdout, then quiet (stdout and stderr are
     * two pipes: dockerd keeps their order only when they are written apart).
     */
    private static final String FIVE_LINES =
        "echo 'err line' >&2; sleep 1; for i in 1 2 3 4 5; do echo \"line $i\"; done; sleep 1d";
    private static final Pattern PREFIXED =
        Pattern.compile("^(five)\\.([12])\\.([0-9a-z]{12})@(h[0-9]+) *\\| (.*)$");

    private String image;

    @BeforeAll
    void createFive() {
      image = TestImages.busybox(registry, "e2e/logs:1").push(docker);
      cluster.succeed("service", "create", "--name", "five", "--replicas", "2", "--replicas-max-per-node", "1",
          image, "sh", "-c", FIVE_LINES);
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
      assertThat(lines(last[0].stderr()))
          .allSatisfy(l -> assertThat(l).matches("^five\\.[12]\\.[0-9a-z]{12}@h[12] *\\| err line$"));
    }

    @Test
    void tailStartsAtTheEndOfEachTasksLogAndNoTaskIdsDropsTheId() {
      await().atMost(WAIT).untilAsserted(() -> assertThat(lines(cluster.succeed("service", "logs", "five")))
          .hasSize(10));
      Commands.Result tail = cluster.succeeded(cluster.shoal("service", "logs", "--tail", "2", "--no-task-ids", "five"));
      assertThat(lines(tail.stdout())).hasSize(4)
          .allSatisfy(l -> assertThat(l).matches("^five\\.[12]@h[12] *\\| line [45]$"));
      assertThat(lines(tail.stdout()).stream().filter(l -> l.endsWith("line 5")).count()).isEqualTo(2);
      assertThat(tail.stderr()).isEmpty();
    }

    @Test
    void aTaskIdGivesThatTasksLinesAloneRawWithTimestamps() {
      String taskId = lines(cluster.succeed("service", "ps", "-q", "--no-trunc", "five")).get(0).strip();
      await().atMost(WAIT).untilAsserted(() -> assertThat(lines(cluster.succeed("service", "logs", taskId)))
          .hasSize(5));
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
}
