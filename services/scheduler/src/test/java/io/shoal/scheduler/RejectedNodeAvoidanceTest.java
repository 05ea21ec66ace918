package io.shoal.scheduler;

import static io.shoal.scheduler.Fixtures.ready;
import static io.shoal.scheduler.Fixtures.service;
import static io.shoal.scheduler.Fixtures.task;
import static io.shoal.scheduler.Fixtures.view;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.scheduler.placement.Placer;
import io.shoal.scheduler.placement.ReadyFilter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A task replacing one a node REJECTED (e.g. its image could not be pulled there) goes elsewhere. */
class RejectedNodeAvoidanceTest {
  private static final long NOW = 1_800_000_000L;
  private final Placer placer = new Placer(List.of(new ReadyFilter()),
      () -> Timestamp.newBuilder().setSeconds(NOW).build());
  private final Service web = service("web", 1);

  private Task rejectedOn(String id, String node, long secondsAgo) {
    Task t = task(id, web, 1, node, TaskState.TASK_STATE_REJECTED, NOW - secondsAgo - 1);
    return t.toBuilder().setDesiredState(TaskState.TASK_STATE_SHUTDOWN)
        .setStatus(t.getStatus().toBuilder().setTimestamp(Timestamp.newBuilder().setSeconds(NOW - secondsAgo))
            .setErr("no basic auth credentials"))
        .build();
  }

  private String placedOn(List<Task> tasks, List<Node> nodes) {
    Plan plan = new Plan();
    placer.place(view(List.of(web), tasks, nodes), plan);
    return plan.updates().stream().filter(t -> t.getId().equals("new")).findFirst().orElseThrow().getNodeId();
  }

  private Task pending() {
    return task("new", web, 1, "", TaskState.TASK_STATE_PENDING, NOW);
  }

  @Test
  void theReplacementAvoidsTheNodeThatRejectedThePreviousTask() {
    // n1 has fewer tasks, so it would win without the rejection.
    Service other = service("other", 1);
    List<Task> tasks = new ArrayList<>(List.of(rejectedOn("old", "n1", 10), pending(),
        task("busy", other, 1, "n2", TaskState.TASK_STATE_RUNNING, NOW)));

    assertThat(placedOn(tasks, List.of(ready("n1"), ready("n2")))).isEqualTo("n2");
  }

  @Test
  void withOnlyNodesThatRejectedItTheTaskStillGoesToTheOneThatRejectedLeast() {
    List<Task> tasks = List.of(rejectedOn("a", "n1", 10), rejectedOn("b", "n1", 20), rejectedOn("c", "n2", 5), pending());

    assertThat(placedOn(tasks, List.of(ready("n1"), ready("n2")))).isEqualTo("n2");
    assertThat(placedOn(List.of(rejectedOn("a", "n1", 10), pending()), List.of(ready("n1")))).isEqualTo("n1");
  }

  @Test
  void rejectionsOlderThanFiveMinutesOrOfAnotherImageAreForgotten() {
    Task old = rejectedOn("old", "n1", 301);
    Task otherImage = rejectedOn("img", "n1", 10).toBuilder()
        .setSpec(web.getSpec().toBuilder().setContainer(web.getSpec().getContainer().toBuilder().setImage("img:0")))
        .build();

    assertThat(placedOn(List.of(old, otherImage, pending()), List.of(ready("n1"), ready("n2")))).isEqualTo("n1");
  }
}
