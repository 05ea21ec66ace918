package io.shoal.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.testing.ExternalProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster's series on /metrics as Prometheus reads them, while this scheduler leads and after. */
class ClusterMetricsIT {
  private static Timestamp at(long seconds) {
    return Timestamp.newBuilder().setSeconds(seconds).build();
  }

  private static Task task(String id, TaskState state, long created, long changed) {
    return Task.newBuilder().setId(id).setServiceId("web").setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setCreateTime(at(created)).setStatus(TaskStatus.newBuilder().setState(state).setTimestamp(at(changed))).build();
  }

  @Test
  void theLeadersViewIsOnMetricsAndATaskNewlyRunningIsTimedOnce() throws Exception {
    int port = ExternalProcess.freePort();
    try (Telemetry telemetry = Telemetry.start("shoal-scheduler", "127.0.0.1", port)) {
      ClusterMetrics metrics = new ClusterMetrics(telemetry);
      assertThat(scrape(port)).contains("shoal_scheduler_leader{otel_scope_name=\"io.shoal.scheduler\"} 0");
      Map<String, Service> services = Map.of("web", Service.newBuilder().setId("web").setSpec(ServiceSpec.newBuilder()
          .setName("web").setContainer(ContainerSpec.newBuilder().setImage("img:1"))
          .setReplicated(ReplicatedService.newBuilder().setReplicas(2))).build());
      // What a new leader finds already running is not timed: it did not see it start.
      metrics.observe(services, Map.of("a", task("a", TaskState.TASK_STATE_RUNNING, 100, 900)), Map.of());
      metrics.observe(services, Map.of("a", task("a", TaskState.TASK_STATE_RUNNING, 100, 900),
          "b", task("b", TaskState.TASK_STATE_RUNNING, 1000, 1003)), Map.of());
      metrics.statusSeen(task("b", TaskState.TASK_STATE_RUNNING, 1000, 1003), Instant.ofEpochSecond(1003, 20_000_000));
      metrics.passed(3_000_000);

      String scraped = scrape(port);
      assertThat(scraped)
          .contains("shoal_cluster_tasks{otel_scope_name=\"io.shoal.scheduler\",service=\"web\",state=\"running\"} 2")
          .contains("shoal_cluster_service_replicas_desired{otel_scope_name=\"io.shoal.scheduler\",service=\"web\"} 2")
          .contains("shoal_cluster_service_replicas_running{otel_scope_name=\"io.shoal.scheduler\",service=\"web\"} 2")
          .contains("shoal_task_create_to_running_seconds_count{otel_scope_name=\"io.shoal.scheduler\"} 1")
          .contains("shoal_task_create_to_running_seconds_sum{otel_scope_name=\"io.shoal.scheduler\"} 3.0")
          .contains("shoal_scheduler_watch_lag_seconds_count{otel_scope_name=\"io.shoal.scheduler\"} 1")
          .contains("shoal_scheduler_pass_duration_seconds_count{otel_scope_name=\"io.shoal.scheduler\"} 1")
          .contains("shoal_scheduler_leader{otel_scope_name=\"io.shoal.scheduler\"} 1");
      metrics.observe(services, Map.of("b", task("b", TaskState.TASK_STATE_FAILED, 1000, 1010)), Map.of());
      assertThat(scrape(port)).contains("shoal_task_failures_total{otel_scope_name=\"io.shoal.scheduler\",service=\"web\"} 1");

      metrics.forget();
      assertThat(scrape(port)).doesNotContain("shoal_cluster_tasks{")
          .contains("shoal_scheduler_leader{otel_scope_name=\"io.shoal.scheduler\"} 0");
    }
  }

  private static String scrape(int port) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
