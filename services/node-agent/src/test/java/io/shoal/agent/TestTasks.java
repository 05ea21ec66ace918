package io.shoal.agent;

import com.google.protobuf.Duration;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Tasks as the scheduler would assign them. */
final class TestTasks {
  private static final AtomicInteger SEQ = new AtomicInteger();

  private TestTasks() {}

  /** A unique task id (25 chars, like real ones) that says which test made it. */
  static String id(String hint) {
    String base = (hint + "x".repeat(25)).replaceAll("[^a-z0-9]", "x");
    String n = Integer.toString(SEQ.incrementAndGet(), 36) + Long.toString(System.nanoTime() % 1_000_000, 36);
    return (base.substring(0, 25 - n.length()) + n).toLowerCase();
  }

  static ContainerSpec.Builder container(String image, String... args) {
    return ContainerSpec.newBuilder()
        .setImage(image)
        .addAllArgs(List.of(args))
        .setInit(true)
        .setStopGracePeriod(Duration.newBuilder().setSeconds(1));
  }

  static Task task(String id, String service, int slot, ContainerSpec.Builder container, PortConfig... ports) {
    return Task.newBuilder()
        .setId(id)
        .setServiceId("svc-" + service)
        .setServiceName(service)
        .setSlot(slot)
        .setNodeId("ignored-by-agent")
        .setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_ASSIGNED).setMessage("assigned"))
        .setSpec(ServiceSpec.newBuilder()
            .setName(service)
            .setContainer(container)
            .setEndpoint(EndpointSpec.newBuilder().addAllPorts(List.of(ports))))
        .build();
  }
}
