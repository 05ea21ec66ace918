package io.shoal.agent;

import com.google.protobuf.Duration;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.Assignments;
import io.shoal.api.v1.DispatcherServiceGrpc;
import io.shoal.api.v1.RegisterNode;
import io.shoal.api.v1.SessionRequest;
import io.shoal.api.v1.SessionResponse;
import io.shoal.api.v1.SessionStarted;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.api.v1.TaskStatusUpdate;
import io.shoal.common.task.TaskStates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A dispatcher in memory on a loopback port: answers a registration with SessionStarted and the
 * node's full assignment set, records every status update (and applies it to its tasks, forward
 * only, as the real dispatcher stores them), and lets a test change the set.
 */
final class FakeDispatcher implements AutoCloseable {
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  /** Secret and config data sent, whole, before each assignment set. */
  private final Map<io.shoal.api.v1.FileDataRef, io.shoal.api.v1.FileData> files = new LinkedHashMap<>();
  private final List<RegisterNode> registrations = new CopyOnWriteArrayList<>();
  private final List<TaskStatusUpdate> updates = new CopyOnWriteArrayList<>();
  private final AtomicInteger heartbeats = new AtomicInteger();
  private final AtomicInteger sessions = new AtomicInteger();
  private final long heartbeatMillis;
  private Server server;
  private StreamObserver<SessionResponse> stream;

  FakeDispatcher(long heartbeatMillis) {
    this.heartbeatMillis = heartbeatMillis;
  }

  FakeDispatcher start(int port) {
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
          .addService(new Service())
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  int port() {
    return server.getPort();
  }

  String address() {
    return "127.0.0.1:" + port();
  }

  /** Data of secrets and configs, sent before the assignment sets from now on (the next push). */
  synchronized void files(io.shoal.api.v1.FileData... data) {
    for (io.shoal.api.v1.FileData f : data) {
      files.put(f.getRef(), f);
    }
  }

  /** Adds or replaces tasks and pushes the full set. */
  synchronized void assign(Task... changed) {
    for (Task t : changed) {
      tasks.put(t.getId(), t);
    }
    push();
  }

  synchronized void setDesired(String taskId, TaskState desired) {
    tasks.put(taskId, tasks.get(taskId).toBuilder().setDesiredState(desired).build());
    push();
  }

  /** Drops a task from the node's set. */
  synchronized void unassign(String taskId) {
    tasks.remove(taskId);
    push();
  }

  /** Forgets what the agent reported for a task, as a lagging store would. */
  synchronized void resetStatus(String taskId, TaskStatus status) {
    tasks.put(taskId, tasks.get(taskId).toBuilder().setStatus(status).build());
  }

  synchronized Task task(String taskId) {
    return tasks.get(taskId);
  }

  /** Breaks the current stream, as a dispatcher crash would. */
  synchronized void breakStream() {
    if (stream != null) {
      stream.onError(Status.UNAVAILABLE.withDescription("dispatcher going away").asRuntimeException());
      stream = null;
    }
  }

  List<RegisterNode> registrations() {
    return registrations;
  }

  int heartbeats() {
    return heartbeats.get();
  }

  /** The states reported for a task, in order. */
  List<TaskState> states(String taskId) {
    return updates(taskId).stream().map(u -> u.getStatus().getState()).collect(Collectors.toList());
  }

  List<TaskStatusUpdate> updates(String taskId) {
    return updates.stream().filter(u -> u.getTaskId().equals(taskId)).collect(Collectors.toList());
  }

  /** The last status reported for a task, or the default instance. */
  TaskStatus lastStatus(String taskId) {
    List<TaskStatusUpdate> mine = updates(taskId);
    return mine.isEmpty() ? TaskStatus.getDefaultInstance() : mine.get(mine.size() - 1).getStatus();
  }

  private synchronized void push() {
    if (stream != null && !files.isEmpty()) {
      stream.onNext(SessionResponse.newBuilder().setFileData(io.shoal.api.v1.FileDataUpdate.newBuilder()
          .addAllFiles(files.values())).build());
    }
    if (stream != null) {
      stream.onNext(SessionResponse.newBuilder()
          .setAssignments(Assignments.newBuilder().addAllTasks(new ArrayList<>(tasks.values())))
          .build());
    }
  }

  private synchronized void registered(StreamObserver<SessionResponse> responses) {
    stream = responses;
    responses.onNext(SessionResponse.newBuilder()
        .setSessionStarted(SessionStarted.newBuilder()
            .setSessionId("session-" + sessions.incrementAndGet())
            .setSessionSecret("secret-" + sessions.get())
            .setHeartbeatPeriod(Duration.newBuilder()
                .setSeconds(heartbeatMillis / 1000).setNanos((int) (heartbeatMillis % 1000) * 1_000_000)))
        .build());
    push();
  }

  private synchronized void reported(TaskStatusUpdate update) {
    updates.add(update);
    Task task = tasks.get(update.getTaskId());
    TaskState stored = task == null ? null : task.getStatus().getState();
    if (task != null && !TaskStates.terminal(stored)
        && update.getStatus().getState().getNumber() > stored.getNumber()) {
      tasks.put(task.getId(), task.toBuilder().setStatus(update.getStatus()).build());
    }
  }

  private synchronized void ended(StreamObserver<SessionResponse> responses) {
    if (stream == responses) {
      stream = null;
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private final class Service extends DispatcherServiceGrpc.DispatcherServiceImplBase {
    @Override
    public StreamObserver<SessionRequest> session(StreamObserver<SessionResponse> responses) {
      return new StreamObserver<>() {
        @Override
        public void onNext(SessionRequest request) {
          switch (request.getMessageCase()) {
            case REGISTER -> {
              registrations.add(request.getRegister());
              registered(responses);
            }
            case HEARTBEAT -> heartbeats.incrementAndGet();
            case TASK_STATUS -> reported(request.getTaskStatus());
            default -> throw new IllegalArgumentException("unexpected " + request);
          }
        }

        @Override
        public void onError(Throwable t) {
          ended(responses);
        }

        @Override
        public void onCompleted() {
          ended(responses);
          responses.onCompleted();
        }
      };
    }
  }
}
