package io.shoal.control.logs;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.ServiceLogsRequest;
import io.shoal.api.v1.ServiceLogsResponse;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskLogsRequest;
import io.shoal.api.v1.TaskLogsResponse;
import io.shoal.api.v1.TaskLogsServiceGrpc;
import io.shoal.api.v1.TaskState;
import io.shoal.common.server.StreamLimit;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Listing;
import io.shoal.common.store.Tables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ServiceLogs call: a TaskLogs stream from the agent of each task that has run a container,
 * merged ({@link LogMerge}). Without follow it ends once every stream has. With follow, for a
 * service, an etcd watch of the tasks opens a stream for each task of the service that starts
 * running later (a rolling update's), whole from its first line; the call ends when the caller
 * cancels or the service is removed.
 */
final class ServiceLogsCall {
  private static final Logger log = LoggerFactory.getLogger(ServiceLogsCall.class);

  private final EtcdStore store;
  private final AgentChannels channels;
  private final Function<String, Optional<Node>> nodes;
  /** Where a new task's stream is opened: never on etcd's watch thread, which a read from it would block. */
  private final Executor opener;
  private final ServiceLogsRequest request;
  private final LogTargets.Target target;
  private final ServerCallStreamObserver<ServiceLogsResponse> call;
  /** This call's place among control's logs calls, given back when it ends. */
  private final StreamLimit.Place place;
  private final LogMerge<ServiceLogsResponse> merge;
  private final Set<String> opened = new HashSet<>();
  private final Map<String, ClientCallStreamObserver<TaskLogsRequest>> open = new HashMap<>();
  private final List<Watch.Watcher> watchers = new ArrayList<>();
  private boolean listed;
  private boolean ended;

  ServiceLogsCall(EtcdStore store, AgentChannels channels, Function<String, Optional<Node>> nodes, Executor opener,
      ServiceLogsRequest request, LogTargets.Target target, ServerCallStreamObserver<ServiceLogsResponse> call,
      StreamLimit.Place place) {
    this.place = place;
    this.opener = opener;
    this.store = store;
    this.channels = channels;
    this.nodes = nodes;
    this.request = request;
    this.target = target;
    this.call = call;
    this.merge = new LogMerge<>(new LogMerge.Sink<>() {
      @Override
      public boolean isReady() {
        return call.isReady();
      }

      @Override
      public void send(ServiceLogsResponse item) {
        call.onNext(item);
      }
    });
  }

  /** Opens the streams; when that fails, closes what it opened and throws (the caller ends the call). */
  void start() {
    call.setOnCancelHandler(this::cancel);
    call.setOnReadyHandler(merge::drain);
    try {
      openAll();
    } catch (RuntimeException e) {
      synchronized (this) {
        ended = true;
      }
      closeUpstreams();
      throw e;
    }
    synchronized (this) {
      listed = true;
    }
    maybeFinish();
  }

  private void openAll() {
    if (target.task().isPresent()) {
      open(target.task().get(), request.getTail());
    } else {
      Listing<Task> tasks = store.list(Tables.TASKS);
      if (request.getFollow()) {
        watch(tasks.revision());
      }
      for (Task t : tasks.items()) {
        if (t.getServiceId().equals(target.service().getId())) {
          open(t, request.getTail());
        }
      }
    }
  }

  /** Opens {@code task}'s stream once it has run a container and if it has not been opened. */
  private void open(Task task, long tail) {
    if (task.getStatus().getStateValue() < TaskState.TASK_STATE_RUNNING_VALUE
        || task.getStatus().getContainerId().isEmpty() || task.getNodeId().isEmpty()) {
      return;
    }
    synchronized (this) {
      if (ended || !opened.add(task.getId())) {
        return;
      }
    }
    Optional<Node> node = nodes.apply(task.getNodeId());
    String address = node.map(n -> n.getDescription().getAgentAddress()).orElse("");
    if (address.isEmpty()) {
      log.warn("no logs of task {}: node {} has no known agent address", task.getId(), task.getNodeId());
      return;
    }
    TaskLogsRequest.Builder upstream = TaskLogsRequest.newBuilder()
        .setTaskId(task.getId()).setFollow(request.getFollow()).setTail(tail);
    if (request.hasSince()) {
      upstream.setSince(request.getSince());
    }
    ServiceLogsResponse prefix = ServiceLogsResponse.newBuilder()
        .setTaskId(task.getId()).setServiceName(target.service().getSpec().getName()).setSlot(task.getSlot())
        .setNodeId(task.getNodeId()).setNodeHostname(node.get().getDescription().getHostname()).build();
    TaskLogsServiceGrpc.newStub(channels.to(address)).taskLogs(upstream.build(), new Upstream(task.getId(), prefix));
  }

  private void watch(long revision) {
    String tasksPrefix = store.root() + Tables.TASKS.name() + "/";
    String serviceKey = store.root() + Tables.SERVICES.name() + "/" + target.service().getId();
    Watch client = store.client().getWatchClient();
    WatchOption tasks = WatchOption.builder().isPrefix(true).withRevision(revision + 1).build();
    WatchOption service = WatchOption.builder().withRevision(revision + 1).build();
    synchronized (this) {
      watchers.add(client.watch(ByteSequence.from(tasksPrefix, UTF_8), tasks,
          Watch.listener(this::onTasks, this::onWatchError)));
      watchers.add(client.watch(ByteSequence.from(serviceKey, UTF_8), service,
          Watch.listener(this::onService, this::onWatchError)));
    }
  }

  private void onTasks(WatchResponse response) {
    for (WatchEvent event : response.getEvents()) {
      if (event.getEventType() != WatchEvent.EventType.PUT) {
        continue;
      }
      try {
        Task task = Task.parseFrom(event.getKeyValue().getValue().getBytes());
        if (task.getServiceId().equals(target.service().getId())) {
          // A task that starts after the call began: all of its lines are new.
          opener.execute(() -> openNew(task));
        }
      } catch (InvalidProtocolBufferException e) {
        log.debug("an unreadable task in the logs watch: {}", e.getMessage());
      }
    }
  }

  private void openNew(Task task) {
    try {
      open(task, -1);
    } catch (RuntimeException e) {
      log.warn("cannot open the logs of task {}: {}", task.getId(), e.toString());
    }
  }

  private void onService(WatchResponse response) {
    if (response.getEvents().stream().anyMatch(e -> e.getEventType() == WatchEvent.EventType.DELETE)) {
      finish();
    }
  }

  private void onWatchError(Throwable error) {
    log.warn("logs watch of service {} failed: {}", target.service().getId(), error.toString());
    end(Status.UNAVAILABLE.withDescription("control lost its etcd watch (" + error.getMessage() + "); ask again"));
  }

  /** Ends once no stream is open, unless it follows a service. */
  private void maybeFinish() {
    synchronized (this) {
      boolean following = request.getFollow() && target.task().isEmpty();
      if (!listed || following || !open.isEmpty() || ended) {
        return;
      }
    }
    finish();
  }

  /** Sends what waits, then completes the call. */
  private void finish() {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
    }
    closeUpstreams();
    merge.finish(call::onCompleted);
  }

  private void end(Status status) {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
    }
    closeUpstreams();
    merge.abandon();
    synchronized (merge) {
      call.onError(status.asRuntimeException());
    }
  }

  private void cancel() {
    synchronized (this) {
      ended = true;
    }
    merge.abandon();
    closeUpstreams();
  }

  private void closeUpstreams() {
    place.close();
    List<Watch.Watcher> ws;
    List<ClientCallStreamObserver<TaskLogsRequest>> streams;
    synchronized (this) {
      ws = List.copyOf(watchers);
      watchers.clear();
      streams = List.copyOf(open.values());
      open.clear();
    }
    ws.forEach(Watch.Watcher::close);
    streams.forEach(s -> s.cancel("the logs call ended", null));
  }

  /** One task's stream from its agent, asked for one response at a time. */
  private final class Upstream implements ClientResponseObserver<TaskLogsRequest, TaskLogsResponse> {
    private final String taskId;
    private final ServiceLogsResponse prefix;
    private ClientCallStreamObserver<TaskLogsRequest> stream;

    Upstream(String taskId, ServiceLogsResponse prefix) {
      this.taskId = taskId;
      this.prefix = prefix;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<TaskLogsRequest> requestStream) {
      this.stream = requestStream;
      requestStream.disableAutoRequestWithInitial(1);
      synchronized (ServiceLogsCall.this) {
        open.put(taskId, requestStream);
      }
    }

    @Override
    public void onNext(TaskLogsResponse response) {
      merge.offer(() -> stream.request(1), prefix.toBuilder().addAllLines(response.getLinesList()).build());
    }

    @Override
    public void onError(Throwable error) {
      Status status = Status.fromThrowable(error);
      if (status.getCode() != Status.Code.CANCELLED && status.getCode() != Status.Code.NOT_FOUND) {
        log.warn("logs of task {} ended: {}", taskId, status);
      }
      done();
    }

    @Override
    public void onCompleted() {
      done();
    }

    private void done() {
      synchronized (ServiceLogsCall.this) {
        open.remove(taskId);
      }
      maybeFinish();
    }
  }
}
