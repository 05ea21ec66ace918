package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.Lab;
import io.shoal.testing.LabExtension;
import io.shoal.testing.PrometheusServer;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real Prometheus given only control's metrics address finds every part of a two-host cluster
 * through control (HTTP service discovery), scrapes each over mutual TLS, and holds the
 * cluster's series: tasks and replicas per service, nodes, create-to-RUNNING times, the
 * dispatcher's sessions and the agents' container operations; the alert rules are loaded.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private LocalCluster cluster;
  private PrometheusServer prometheus;
  private RegistryTestServer registry;
  private DockerTestEngine docker;

  @BeforeAll
  void start(Lab lab, DockerTestEngine docker, RegistryTestServer local) {
    this.docker = docker;
    registry = lab.registry(local);
    cluster = new LocalCluster(lab, lab.hosts().subList(0, 2), registry);
    cluster.awaitReadyNodes(WAIT);
    prometheus = PrometheusServer.start(lab.bridgeAddress(), cluster.prometheusConfig("1s"));
  }

  @AfterAll
  void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

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
