package io.shoal.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.Assignments;
import io.shoal.api.v1.AssignmentsType;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parts fit their bound, keep every task and id once, and only COMPLETE parts continue. */
class AssignmentChunksTest {
  private final AssignmentChunks chunks = new AssignmentChunks(10_000);

  private static Task task(int i, int envBytes) {
    return Task.newBuilder().setId("t" + i).setSpec(ServiceSpec.newBuilder()
        .setContainer(ContainerSpec.newBuilder().setImage("web:1").addEnv("A=" + "a".repeat(envBytes)))).build();
  }

  private static Assignments of(AssignmentsType type, int tasks, int removed) {
    Assignments.Builder b = Assignments.newBuilder().setType(type);
    for (int i = 0; i < tasks; i++) {
      b.addTasks(task(i, 1000));
    }
    for (int i = 0; i < removed; i++) {
      b.addRemovedTaskIds("gone-" + "x".repeat(20) + i);
    }
    return b.build();
  }

  @Test
  void aSmallSetIsOneMessage() {
    Assignments small = of(AssignmentsType.ASSIGNMENTS_TYPE_COMPLETE, 3, 0);
    assertThat(chunks.split(small)).containsExactly(small);
    Assignments empty = of(AssignmentsType.ASSIGNMENTS_TYPE_COMPLETE, 0, 0);
    assertThat(chunks.split(empty)).containsExactly(empty);
  }

  @Test
  void aBigCompleteSetContinuesUntilItsLastPart() {
    List<Assignments> parts = chunks.split(of(AssignmentsType.ASSIGNMENTS_TYPE_COMPLETE, 100, 0));

    assertThat(parts).hasSizeGreaterThan(9).allMatch(p -> p.getSerializedSize() <= 10_000)
        .allMatch(p -> p.getType() == AssignmentsType.ASSIGNMENTS_TYPE_COMPLETE);
    assertThat(parts.subList(0, parts.size() - 1)).allMatch(Assignments::getContinued);
    assertThat(parts.get(parts.size() - 1).getContinued()).isFalse();
    assertThat(parts.stream().flatMap(p -> p.getTasksList().stream()).map(Task::getId))
        .containsExactlyElementsOf(of(AssignmentsType.ASSIGNMENTS_TYPE_COMPLETE, 100, 0).getTasksList()
            .stream().map(Task::getId).toList());
  }

  @Test
  void aBigChangeIsSeveralIndependentIncrementalParts() {
    List<Assignments> parts = chunks.split(of(AssignmentsType.ASSIGNMENTS_TYPE_INCREMENTAL, 30, 1000));

    assertThat(parts).allMatch(p -> p.getSerializedSize() <= 10_000)
        .allMatch(p -> p.getType() == AssignmentsType.ASSIGNMENTS_TYPE_INCREMENTAL)
        .noneMatch(Assignments::getContinued);
    assertThat(parts.stream().mapToInt(Assignments::getTasksCount).sum()).isEqualTo(30);
    assertThat(parts.stream().mapToInt(Assignments::getRemovedTaskIdsCount).sum()).isEqualTo(1000);
  }

  @Test
  void aTaskBiggerThanAPartGoesAloneAndOneBiggerThanAMessageDoesNotFit() {
    Assignments set = Assignments.newBuilder().setType(AssignmentsType.ASSIGNMENTS_TYPE_COMPLETE)
        .addTasks(task(1, 100)).addTasks(task(2, 50_000)).addTasks(task(3, 100)).build();

    assertThat(chunks.split(set)).extracting(Assignments::getTasksCount).containsExactly(1, 1, 1);
    assertThat(AssignmentChunks.fits(task(2, 50_000))).isTrue();
    assertThat(AssignmentChunks.fits(task(4, AssignmentChunks.MAX_MESSAGE_BYTES))).isFalse();
  }
}
