package io.shoal.cli.testing;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.GlobalService;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeSpec;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.NodeStatus;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.time.Timestamps;
import java.time.Duration;
import java.time.Instant;

/** Small builders for API objects in tests. */
public final class Fixtures {
  public static final String DIGEST =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  private Fixtures() {}

  public static ServiceSpec replicated(String name, String image, long replicas) {
    return ServiceSpec.newBuilder()
        .setName(name)
        .setContainer(ContainerSpec.newBuilder().setImage(image))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(replicas))
        .build();
  }

  public static ServiceSpec global(String name, String image) {
    return ServiceSpec.newBuilder()
        .setName(name)
        .setContainer(ContainerSpec.newBuilder().setImage(image))
        .setGlobal(GlobalService.getDefaultInstance())
        .build();
  }

  /** A task whose status changed at {@code statusAt} and that was created at {@code createdAt}. */
  public static Task.Builder task(
      String id,
      String serviceId,
      ServiceSpec spec,
      long slot,
      TaskState desired,
      TaskState state,
      Instant createdAt,
      Instant statusAt) {
    return Task.newBuilder()
        .setId(id)
        .setServiceId(serviceId)
        .setServiceName(spec.getName())
        .setSpec(spec)
        .setSlot(slot)
        .setDesiredState(desired)
        .setCreateTime(ts(createdAt))
        .setStatus(TaskStatus.newBuilder().setState(state).setTimestamp(ts(statusAt)));
  }

  /** A task created {@code ageSeconds} before {@link CliHarness#START}, status set then too. */
  public static Task.Builder task(
      String id, ServiceSpec spec, long slot, TaskState desired, TaskState state, int ageSeconds) {
    Instant at = CliHarness.START.minus(Duration.ofSeconds(ageSeconds));
    return task(id, "svc-" + spec.getName(), spec, slot, desired, state, at, at);
  }

  public static Node node(
      String id, String hostname, NodeState state, NodeAvailability availability) {
    return Node.newBuilder()
        .setId(id)
        .setSpec(NodeSpec.newBuilder().setAvailability(availability))
        .setDescription(NodeDescription.newBuilder().setHostname(hostname))
        .setStatus(NodeStatus.newBuilder().setState(state))
        .build();
  }

  public static Timestamp ts(Instant i) {
    return Timestamps.toTimestamp(i);
  }
}
