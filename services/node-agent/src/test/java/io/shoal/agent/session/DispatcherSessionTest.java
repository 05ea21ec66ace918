package io.shoal.agent.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.shoal.agent.LocalNode;
import io.shoal.agent.worker.TaskManager;
import io.shoal.api.v1.Assignments;
import io.shoal.api.v1.AssignmentsType;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.DispatcherServiceGrpc;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.SessionRequest;
import io.shoal.api.v1.SessionResponse;
import io.shoal.api.v1.SessionStarted;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.telemetry.Telemetry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's session against a dispatcher on a loopback port that sends a complete set above
 * 4 MiB in parts: the agent runs every task of it, and drops none on the way.
 */
class DispatcherSessionTest {
  private static final int TASKS = 60;
  private final InMemoryEngine engine = new InMemoryEngine();
  private final LocalNode node = new LocalNode("node1", "host1", "127.0.0.2");
  private final StatusQueue statuses = new StatusQueue();
  private final TaskManager tasks = new TaskManager(engine, node, statuses, Clock.systemUTC(), Telemetry.noop());
  private final List<SessionResponse> toSend = new ArrayList<>();
  private Server server;
  private ManagedChannel channel;
  private DispatcherSession session;

  @BeforeEach
  void start() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new DispatcherServiceGrpc.DispatcherServiceImplBase() {
          @Override
          public StreamObserver<SessionRequest> session(StreamObserver<SessionResponse> responses) {
            return new StreamObserver<>() {
              @Override
              public void onNext(SessionRequest request) {
                if (request.hasRegister()) {
                  responses.onNext(SessionResponse.newBuilder().setSessionStarted(SessionStarted.newBuilder()
                      .setSessionId("s1").setHeartbeatPeriod(com.google.protobuf.Duration.newBuilder().setSeconds(5)))
                      .build());
                  toSend.forEach(responses::onNext);
                }
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                responses.onCompleted();
              }
            };
          }
        }).build().start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() {
    if (session != null) {
      session.close();
    }
    tasks.close();
    channel.shutdownNow();
    server.shutdownNow();
  }

  private static Task task(int i) {
    return Task.newBuilder().setId("t" + i).setServiceId("s").setServiceName("svc").setSlot(i + 1).setNodeId("node1")
        .setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_ASSIGNED))
        .setSpec(ServiceSpec.newBuilder().setName("svc").setContainer(ContainerSpec.newBuilder()
            .setImage("127.0.0.1:5000/web:1").addEnv("A=" + "a".repeat(100 << 10))))
        .build();
  }

  @Test
  void aCompleteSetInPartsIsAppliedOnceWhole() {
    // 60 x 100 KiB, in parts of 20 (2 MiB each): 6 MiB in all, more than one message may be.
    for (int from = 0; from < TASKS; from += 20) {
      Assignments.Builder part = Assignments.newBuilder().setType(AssignmentsType.ASSIGNMENTS_TYPE_COMPLETE)
          .setContinued(from + 20 < TASKS);
      for (int i = from; i < from + 20; i++) {
        part.addTasks(task(i));
      }
      toSend.add(SessionResponse.newBuilder().setAssignments(part).build());
    }
    session = new DispatcherSession(channel, node, engine, tasks, statuses, new SessionIdentity());

    session.start();

    Set<String> all = java.util.stream.IntStream.range(0, TASKS).mapToObj(i -> "t" + i).collect(Collectors.toSet());
    await().atMost(Duration.ofSeconds(30)).until(() -> tasks.statuses().keySet().equals(all)
        && tasks.statuses().values().stream().allMatch(s -> s.getState() == TaskState.TASK_STATE_RUNNING));
    assertThat(engine.removedTasks).isEmpty();
  }
}
