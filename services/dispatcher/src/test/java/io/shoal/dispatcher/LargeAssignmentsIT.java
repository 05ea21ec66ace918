package io.shoal.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.v1.Assignments;
import io.shoal.api.v1.AssignmentsType;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.store.Tables;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node's assignment set bigger than gRPC's 4 MiB message limit reaches an agent that keeps
 * that limit: in COMPLETE parts marked continued, and its changes in INCREMENTAL parts.
 */
@ExtendWith(EtcdExtension.class)
class LargeAssignmentsIT {
  private static final int TASKS = 80;
  private NettyDispatcher dispatcher;

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    dispatcher = new NettyDispatcher(etcd);
  }

  @AfterEach
  void stop() {
    dispatcher.close();
  }

  private static Task task(int i, String envValue) {
    return Task.newBuilder().setId("big" + i).setServiceId("svc").setSlot(i + 1).setNodeId("big-node")
        .setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setSpec(ServiceSpec.newBuilder().setContainer(ContainerSpec.newBuilder().setImage("web:1")
            .addEnv("A=" + envValue.repeat(64 << 10))))
        .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_ASSIGNED)).build();
  }

  @Test
  void aSetAboveTheMessageLimitArrivesInParts() {
    for (int i = 0; i < TASKS; i++) { // 80 x 64 KiB: 5 MiB
      dispatcher.createTask(task(i, "a"));
    }
    // Heartbeats: pushing and updating 5 MiB can outlast three missed ones on a loaded machine.
    TestAgent agent = new TestAgent(dispatcher.channel()).register("big-node", "127.0.0.30")
        .heartbeatEvery(NettyDispatcher.HEARTBEAT.dividedBy(2));

    await().atMost(Duration.ofSeconds(20)).until(() -> agent.error != null || agent.assignments().stream()
        .anyMatch(a -> a.getType() == AssignmentsType.ASSIGNMENTS_TYPE_COMPLETE && !a.getContinued()));
    assertThat(agent.error).isNull();
    List<Assignments> complete = agent.assignments();
    assertThat(complete.size()).isGreaterThanOrEqualTo(5);
    assertThat(complete).allMatch(a -> a.getType() == AssignmentsType.ASSIGNMENTS_TYPE_COMPLETE);
    assertThat(complete.subList(0, complete.size() - 1)).allMatch(Assignments::getContinued);
    assertThat(ids(complete)).hasSize(TASKS);
    assertThat(agent.received).allMatch(r -> r.getSerializedSize() <= AssignmentChunks.MAX_MESSAGE_BYTES);

    // Every task changes: the change is bigger than a message too.
    for (int i = 0; i < TASKS; i++) {
      Task t = dispatcher.store.get(Tables.TASKS, "big" + i).orElseThrow();
      dispatcher.store.txn().update(Tables.TASKS, t.getId(), task(i, "b"), t.getVersion()).commit();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> agent.assignments().stream()
        .filter(a -> a.getType() == AssignmentsType.ASSIGNMENTS_TYPE_INCREMENTAL)
        .flatMap(a -> a.getTasksList().stream())
        .filter(t -> t.getSpec().getContainer().getEnv(0).startsWith("A=b"))
        .map(Task::getId).collect(Collectors.toSet()).size() == TASKS);
    assertThat(agent.error).isNull();
    assertThat(agent.received).allMatch(r -> r.getSerializedSize() <= AssignmentChunks.MAX_MESSAGE_BYTES);
    assertThat(agent.assignments()).filteredOn(a -> a.getType() == AssignmentsType.ASSIGNMENTS_TYPE_INCREMENTAL)
        .noneMatch(Assignments::getContinued);
    agent.close();
  }

  private static Set<String> ids(List<Assignments> parts) {
    return parts.stream().flatMap(a -> a.getTasksList().stream()).map(Task::getId).collect(Collectors.toSet());
  }
}
