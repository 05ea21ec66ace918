package io.shoal.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.grpc.ForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.shoal.agent.docker.DockerEngine;
import io.shoal.agent.docker.DockerModule;
import io.shoal.agent.docker.DockerTimeouts;
import io.shoal.agent.docker.TimeoutCounter;
import io.shoal.agent.exec.ContainerConfigs;
import io.shoal.api.v1.LogLine;
import io.shoal.api.v1.TaskLogsRequest;
import io.shoal.api.v1.TaskLogsResponse;
import io.shoal.api.v1.TaskLogsServiceGrpc;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.TestImages;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent's TaskLogs against a real dockerd, over a real HTTP/2 connection: a caller that
 * takes nothing holds the agent's reading of dockerd (what was sent stays within gRPC's window,
 * whatever the log's size) and, once it reads, gets every line in order; a caller that goes away
 * gives its place back.
 */
@Tag("docker")
@ExtendWith(DockerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskLogsIT {
  /** 100,000 lines of ~100 bytes: about 10 MiB of log, ten times gRPC's 1 MiB window. */
  private static final int LINES = 100_000;
  private static final String PADDING = "x".repeat(90);
  /** The window a stalled caller lets through: the client's 1 MiB and the server's own buffer. */
  private static final long WINDOW_BYTES = 2L * 1024 * 1024;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private DockerTestEngine docker;
  private String image;
  private final String label = "shoal-test.task-logs=" + UUID.randomUUID();
  private DockerClient client;
  private TaskLogsGrpcService service;
  private Server server;
  private ManagedChannel channel;
  private final AtomicLong sentBytes = new AtomicLong();

  @BeforeAll
  void buildImage(DockerTestEngine docker) {
    this.docker = docker;
    image = TestImages.busybox("shoal-test/task-logs:1").build(docker);
  }

  @BeforeEach
  void start() throws IOException {
    DockerTimeouts timeouts = new DockerTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(1));
    TimeoutCounter counter = new TimeoutCounter(Telemetry.noop());
    client = DockerModule.connect(docker.host(), timeouts, counter, TaskLogsGrpcService.MAX_STREAMS);
    service = new TaskLogsGrpcService(client, new DockerEngine(client, timeouts, counter), Telemetry.noop());
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(service, countSent())).build().start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    service.close();
    docker.removeContainers(label);
  }

  /** Counts the bytes of what the service hands gRPC to send. */
  private ServerInterceptor countSent() {
    return new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
          ServerCallHandler<Q, A> next) {
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void sendMessage(A message) {
            sentBytes.addAndGet(((TaskLogsResponse) message).getSerializedSize());
            super.sendMessage(message);
          }
        }, headers);
      }
    };
  }

  /** Runs a task's container that writes {@link #LINES} numbered lines and exits; its task id. */
  private String taskThatWroteItsLog() {
    String taskId = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    String script = "i=0; while [ $i -lt " + LINES + " ]; do i=$((i+1)); echo \"$i " + PADDING + "\"; done";
    String id = docker.docker("run", "-d", "--label", label, "--label", ContainerConfigs.LABEL_TASK_ID + "=" + taskId,
        image, "sh", "-c", script).strip();
    assertThat(docker.docker("wait", id).strip()).isEqualTo("0");
    return taskId;
  }

  @Test
  void aCallerThatTakesNothingHoldsTheReadingAndThenGetsEveryLineInOrder() {
    String taskId = taskThatWroteItsLog();
    Reader reader = new Reader();
    TaskLogsServiceGrpc.newStub(channel).taskLogs(
        TaskLogsRequest.newBuilder().setTaskId(taskId).setTail(-1).build(), reader);

    await().atMost(WAIT).until(() -> reader.lines.size() > 0);
    // dockerd has the whole ~10 MiB; while the caller takes nothing, the agent sends no more
    // than the window, and no copy of the rest waits in its heap (its reader thread is held).
    await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> sentBytes.get() <= WINDOW_BYTES);
    assertThat(service.openStreams()).isEqualTo(1);

    reader.takeAll();
    assertThat(reader.done).succeedsWithin(WAIT);
    List<String> numbers = reader.lines.stream().map(l -> l.getLine().toStringUtf8())
        .map(l -> l.substring(0, l.indexOf(' '))).toList();
    assertThat(numbers).hasSize(LINES);
    for (int i = 0; i < LINES; i++) {
      assertThat(numbers.get(i)).isEqualTo(Integer.toString(i + 1));
    }
    assertThat(sentBytes.get()).isGreaterThan(5 * WINDOW_BYTES);
    await().atMost(WAIT).until(() -> service.openStreams() == 0);
  }

  @Test
  void aCallerThatGoesAwayWhileHeldGivesItsPlaceBack() {
    String taskId = taskThatWroteItsLog();
    Reader reader = new Reader();
    TaskLogsServiceGrpc.newStub(channel).taskLogs(
        TaskLogsRequest.newBuilder().setTaskId(taskId).setTail(-1).setFollow(true).build(), reader);
    await().atMost(WAIT).until(() -> reader.lines.size() > 0);
    assertThat(service.openStreams()).isEqualTo(1);

    reader.cancel();

    await().atMost(WAIT).until(() -> service.openStreams() == 0);
    assertThat(sentBytes.get()).isLessThanOrEqualTo(WINDOW_BYTES);
  }

  @Test
  void aTaskWithoutAContainerHereIsNotFound() {
    Reader reader = new Reader();
    TaskLogsServiceGrpc.newStub(channel).taskLogs(TaskLogsRequest.newBuilder().setTaskId("nosuchtask").build(), reader);

    assertThat(reader.done).failsWithin(WAIT).withThrowableThat()
        .withMessageContaining("NOT_FOUND").withMessageContaining("this node has no container of task nosuchtask");
    assertThat(service.openStreams()).isZero();
  }

  /** A caller that takes one response and then only when told. */
  private static final class Reader implements ClientResponseObserver<TaskLogsRequest, TaskLogsResponse> {
    final List<LogLine> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private ClientCallStreamObserver<TaskLogsRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<TaskLogsRequest> call) {
      this.call = call;
      call.disableAutoRequestWithInitial(1);
    }

    void takeAll() {
      call.request(Integer.MAX_VALUE);
    }

    void cancel() {
      call.cancel("the test goes away", null);
    }

    @Override
    public void onNext(TaskLogsResponse response) {
      lines.addAll(response.getLinesList());
    }

    @Override
    public void onError(Throwable error) {
      done.completeExceptionally(Status.fromThrowable(error).asRuntimeException());
    }

    @Override
    public void onCompleted() {
      done.complete(null);
    }
  }
}
