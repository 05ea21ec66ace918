package io.shoal.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.store.Tables;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Neither a flood of reports nor an agent that stops reading grows the dispatcher's memory. */
@ExtendWith(EtcdExtension.class)
class SessionFlowControlIT {
  private NettyDispatcher dispatcher;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    timer.shutdownNow();
    dispatcher.close();
  }

  @Test
  void aFloodOfReportsWaitsForRoomInTheQueueAndNoneIsLost(EtcdTestCluster etcd) {
    dispatcher = new NettyDispatcher(etcd, 20, AgentSession.STALL_TIMEOUT);
    for (int i = 0; i < 100; i++) {
      dispatcher.createTask("f" + i, "flooder");
    }
    TestAgent agent = new TestAgent(dispatcher.channel()).register("flooder", "127.0.0.20");
    await().atMost(Duration.ofSeconds(10)).until(agent::started);
    timer.scheduleAtFixedRate(agent::heartbeat, 0, 300, TimeUnit.MILLISECONDS);
    AtomicInteger mostHeld = new AtomicInteger();
    timer.scheduleAtFixedRate(() -> mostHeld.accumulateAndGet(dispatcher.writer.held(), Math::max),
        0, 5, TimeUnit.MILLISECONDS);

    for (TaskState state : new TaskState[] {TaskState.TASK_STATE_ACCEPTED, TaskState.TASK_STATE_PREPARING,
        TaskState.TASK_STATE_STARTING, TaskState.TASK_STATE_RUNNING}) {
      for (int i = 0; i < 100; i++) {
        agent.report("f" + i, TaskStatus.newBuilder().setState(state).build());
      }
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> dispatcher.store.list(Tables.TASKS).items().stream()
        .allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_RUNNING));
    assertThat(dispatcher.metrics.count("queue_full")).isPositive();
    assertThat(mostHeld.get()).isLessThanOrEqualTo(20);
    assertThat(agent.error).isNull(); // the session outlived the wait: its heartbeats were read late, not missed
    agent.close();
  }

  @Test
  void anAgentThatReadsNothingIsEndedAndHoldsOnlyOnePush(EtcdTestCluster etcd) {
    dispatcher = new NettyDispatcher(etcd, TaskStatusWriter.CAPACITY, Duration.ofSeconds(3));
    // 2.5 MiB of assignments: more than the HTTP/2 window and gRPC's buffer take.
    String env = "A=" + "a".repeat(64 << 10);
    for (int i = 0; i < 40; i++) {
      dispatcher.createTask(Task.newBuilder().setId("s" + i).setServiceId("svc").setSlot(i + 1).setNodeId("stuck")
          .setDesiredState(TaskState.TASK_STATE_RUNNING)
          .setSpec(ServiceSpec.newBuilder().setContainer(ContainerSpec.newBuilder().setImage("web:1").addEnv(env)))
          .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_ASSIGNED)).build());
    }
    TestAgent agent = new TestAgent(dispatcher.channel(), false).register("stuck", "127.0.0.21");
    timer.scheduleAtFixedRate(agent::heartbeat, 0, 300, TimeUnit.MILLISECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.sessions.session("stuck")
        .map(s -> s.waitingMessages() > 0).orElse(false));
    AgentSession session = dispatcher.sessions.session("stuck").orElseThrow();
    int waiting = session.waitingMessages();

    // Changes while the agent reads nothing are not queued behind the waiting push.
    for (int i = 0; i < 20; i++) {
      Task t = dispatcher.store.get(Tables.TASKS, "s" + i).orElseThrow();
      dispatcher.store.txn().update(Tables.TASKS, t.getId(),
          t.toBuilder().setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build(), t.getVersion()).commit();
    }
    assertThat(session.waitingMessages()).isLessThanOrEqualTo(waiting);

    await().atMost(Duration.ofSeconds(20)).until(() -> dispatcher.metrics.count("stalled") == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.store.get(Tables.SESSIONS, "stuck").isEmpty());
    assertThat(session.waitingMessages()).isZero();
    agent.close();
  }
}
