package io.shoal.scheduler.placement;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeSpec;
import io.shoal.api.v1.Placement;
import io.shoal.api.v1.ResourceRequirements;
import io.shoal.api.v1.Resources;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import java.util.Map;

/** Nodes and tasks for filter tables. */
final class FilterFixtures {
  private FilterFixtures() {}

  static final long CPU = 1_000_000_000L;
  static final long MIB = 1024L * 1024;

  static NodeInfo node(String id, Map<String, String> labels, long nanoCpus, long memory) {
    return new NodeInfo(Node.newBuilder().setId(id)
        .setSpec(NodeSpec.newBuilder().putAllLabels(labels))
        .setDescription(NodeDescription.newBuilder().setHostname(id).setOs("linux").setArch("x86_64")
            .setNanoCpus(nanoCpus).setMemoryBytes(memory))
        .build());
  }

  static Task task(String service, Placement placement, long reserveCpu, long reserveMemory) {
    return Task.newBuilder().setId(service + "-t").setServiceId(service)
        .setSpec(ServiceSpec.newBuilder().setPlacement(placement)
            .setResources(ResourceRequirements.newBuilder()
                .setReservations(Resources.newBuilder().setNanoCpus(reserveCpu).setMemoryBytes(reserveMemory))))
        .build();
  }
}
