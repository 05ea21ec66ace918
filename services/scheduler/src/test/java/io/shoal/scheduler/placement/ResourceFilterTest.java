package io.shoal.scheduler.placement;

import static io.shoal.scheduler.placement.FilterFixtures.CPU;
import static io.shoal.scheduler.placement.FilterFixtures.MIB;
import static io.shoal.scheduler.placement.FilterFixtures.node;
import static io.shoal.scheduler.placement.FilterFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.Placement;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceFilterTest {
  private final ResourceFilter filter = new ResourceFilter();

  @ParameterizedTest(name = "node {0} CPU/{1} MiB, placed {2}x({3} CPU, {4} MiB), task {5} CPU/{6} MiB -> {7}")
  @CsvSource({
      // node cpus, node MiB, placed count, placed cpu, placed MiB, task cpu, task MiB, fits
      "2, 1024, 0, 0, 0, 2, 1024, true",
      "2, 1024, 0, 0, 0, 3, 0, false",
      "2, 1024, 0, 0, 0, 0, 2048, false",
      "2, 1024, 1, 1, 512, 1, 512, true",
      "2, 1024, 2, 1, 256, 1, 256, false",
      "2, 1024, 3, 0, 256, 0, 256, true",
      "2, 1024, 4, 0, 256, 0, 256, false",
      "0, 0, 0, 0, 0, 1, 0, false",
  })
  void reservationsMustFitWhatIsLeft(long nodeCpus, long nodeMib, int placed, long placedCpu, long placedMib,
      long taskCpu, long taskMib, boolean fits) {
    NodeInfo n = node("n1", Map.of(), nodeCpus * CPU, nodeMib * MIB);
    for (int i = 0; i < placed; i++) {
      n.add(task("other", Placement.getDefaultInstance(), placedCpu * CPU, placedMib * MIB));
    }

    assertThat(filter.check(task("web", Placement.getDefaultInstance(), taskCpu * CPU, taskMib * MIB), n))
        .isEqualTo(fits);
  }

  @ParameterizedTest
  @CsvSource({"0, 0, false", "1, 0, true", "0, 1, true"})
  void appliesOnlyToReservations(long cpu, long memory, boolean applies) {
    assertThat(filter.appliesTo(task("web", Placement.getDefaultInstance(), cpu, memory))).isEqualTo(applies);
    assertThat(filter.explain(2)).isEqualTo("insufficient resources on 2 nodes");
  }
}
