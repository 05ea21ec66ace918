package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.Lab;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster page (issue #13, item 5) in headless Chromium: a cluster of two hosts whose
 * control serves the page on loopback and reads a real Prometheus that scrapes control and
 * the mesh-proxies. The page shows the hosts as columns; a created and then scaled service's
 * cards appear in them, coloured running, and its desired/running follow, without a reload
 * (the events stream); a service no node may run shows its pending reason; a service's mesh
 * graph draws Prometheus's points. Screenshots go to e2e/target/cluster-page/.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterPageIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path SHOTS = Path.of("target", "cluster-page");
  /** page.css's .state-running background. */
  private static final String RUNNING_GREEN = "rgb(46, 125, 50)";

  private LocalCluster cluster;
  private PrometheusServer prometheus;
  private BrowserDriver browser;
  private String image;
  private String pageUrl;

  @BeforeAll
  void start(Lab lab, DockerTestEngine docker, RegistryTestServer local) throws IOException {
    RegistryTestServer registry = lab.registry(local);
    image = TestImages.busybox(registry, "e2e/page-web:1").file("/www/index.html", "page\n").push(docker);
    int webPort = ExternalProcess.freePort();
    int prometheusPort = ExternalProcess.freePort();
    pageUrl = "http://127.0.0.1:" + webPort + "/";
    cluster = new LocalCluster(lab, lab.hosts().subList(0, 2), 1, List.of(),
        List.of("--web-listen", "127.0.0.1:" + webPort, "--prometheus-url", "http://127.0.0.1:" + prometheusPort),
        registry);
    List<String> targets = new ArrayList<>(List.of(lab.bridgeAddress() + ":" + cluster.metricsPorts.get("control")));
    for (Lab.Host host : cluster.hosts) {
      targets.add(host.address() + ":" + cluster.metricsPorts.get("mesh-" + host.name()));
    }
    prometheus = PrometheusServer.start(prometheusPort, Path.of(cluster.certs("cli")), targets);
    cluster.awaitReadyNodes(WAIT);
    Files.createDirectories(SHOTS);
    browser = BrowserDriver.start();
    assertThat(browser.open(pageUrl)).isEqualTo(200);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (prometheus != null) {
      prometheus.close();
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
        Duration.ofSeconds(90));
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
