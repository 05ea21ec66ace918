package io.shoal.agent.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.agent.exec.EngineException;
import io.shoal.agent.exec.EngineTaskController;
import io.shoal.agent.exec.PullCredentials;
import io.shoal.agent.exec.TaskFiles;
import io.shoal.agent.exec.TaskNetworks;
import io.shoal.agent.exec.TaskOperations;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.testing.ExternalProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Each engine call made for a task is counted by operation and result on the agent's /metrics. */
class ContainerOperationsMetricsIT {
  private static Task task(String image) {
    return Task.newBuilder().setId("t1").setServiceId("s").setServiceName("svc").setSlot(1)
        .setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setSpec(ServiceSpec.newBuilder().setContainer(ContainerSpec.newBuilder().setImage(image))).build();
  }

  @Test
  void pullsCreatesStartsStopsRemovesAndTheirErrorsAreCounted() throws Exception {
    int port = ExternalProcess.freePort();
    try (Telemetry telemetry = Telemetry.start("shoal-node-agent", "127.0.0.1", port)) {
      TaskOperations operations = new TaskOperations(telemetry.tracer("test"),
          telemetry.openTelemetry().getMeterProvider());
      FakeContainerEngine engine = new FakeContainerEngine();
      Task web = task("127.0.0.1:5000/web:1");
      EngineTaskController controller = new EngineTaskController(engine, "n1", "h1", "127.0.0.1", () -> web,
          PullCredentials.NONE, TaskNetworks.NONE, TaskFiles.NONE, operations);
      controller.prepare();
      controller.start();
      controller.shutdownAndRemove();
      Task missing = task("127.0.0.1:5000/missing:1");
      EngineTaskController failing = new EngineTaskController(engine, "n1", "h1", "127.0.0.1", () -> missing,
          PullCredentials.NONE, TaskNetworks.NONE, TaskFiles.NONE, operations);
      assertThatThrownBy(failing::prepare).isInstanceOf(EngineException.class);

      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      for (String operation : new String[] {"create", "start", "stop", "remove"}) {
        assertThat(metrics).contains("shoal_agent_container_operations_total{operation=\"" + operation
            + "\",otel_scope_name=\"io.shoal.agent\",result=\"ok\"} 1");
      }
      assertThat(metrics)
          .contains("shoal_agent_container_operations_total{operation=\"pull\",otel_scope_name=\"io.shoal.agent\",result=\"ok\"} 1")
          .contains("shoal_agent_container_operations_total{operation=\"pull\",otel_scope_name=\"io.shoal.agent\",result=\"error\"} 1");
    }
  }
}
