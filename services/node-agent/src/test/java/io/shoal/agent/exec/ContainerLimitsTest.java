package io.shoal.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ResourceRequirements;
import io.shoal.api.v1.Resources;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --limit-cpu/--limit-memory reach the container; reservations are the scheduler's only. */
class ContainerLimitsTest {
  @ParameterizedTest
  @CsvSource({"0, 0", "500000000, 268435456", "2000000000, 0"})
  void limitsGoToTheContainerConfig(long nanoCpus, long memory) {
    Task task = Task.newBuilder().setId("t1").setServiceId("s1").setServiceName("web").setSlot(1)
        .setSpec(ServiceSpec.newBuilder().setName("web").setContainer(ContainerSpec.newBuilder().setImage("img:1"))
            .setResources(ResourceRequirements.newBuilder()
                .setLimits(Resources.newBuilder().setNanoCpus(nanoCpus).setMemoryBytes(memory))
                .setReservations(Resources.newBuilder().setNanoCpus(7).setMemoryBytes(7))))
        .build();

    ContainerConfig config = ContainerConfigs.forTask(task, "node1", "127.0.0.2");

    assertThat(config.nanoCpus()).isEqualTo(nanoCpus);
    assertThat(config.memoryBytes()).isEqualTo(memory);
  }
}
