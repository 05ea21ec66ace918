package io.shoal.agent.logs;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.shoal.agent.exec.ContainerConfigs;
import io.shoal.agent.exec.ContainerEngine;
import io.shoal.api.v1.LogLine;
import io.shoal.api.v1.LogStream;
import io.shoal.api.v1.TaskLogsRequest;
import io.shoal.api.v1.TaskLogsResponse;
import io.shoal.api.v1.TaskLogsServiceGrpc;
import io.shoal.common.errors.GrpcErrors;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.server.StreamLimit;
import io.shoal.common.telemetry.Telemetry;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TaskLogs: one task's container log from dockerd, line by line. docker-java delivers each frame
 * on a thread of its own, which this service holds ({@link ReadyGate}) while the caller is not
 * ready, so an agent keeps at most one frame and gRPC's own window per call.
 */
@Singleton
public final class TaskLogsGrpcService extends TaskLogsServiceGrpc.TaskLogsServiceImplBase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskLogsGrpcService.class);
  /**
   * Log streams open at once on this node: docker-java reads each on a thread of its own, and
   * each holds a connection to dockerd. One service's logs call opens one per task of the node.
   */
  public static final int MAX_STREAMS = 256;

  private final StreamLimit streams = new StreamLimit("log streams", "this node", MAX_STREAMS);

  private final DockerClient docker;
  private final ContainerEngine engine;

  /**
   * @param docker a client of its own, whose connections only logs use (DockerModule: a followed
   *     log holds one for as long as it is read)
   */
  @Inject
  TaskLogsGrpcService(@Named("logs") DockerClient docker, ContainerEngine engine, Telemetry telemetry) {
    this.docker = docker;
    this.engine = engine;
    telemetry.meter("io.shoal.agent").gaugeBuilder("shoal.agent.log.streams").ofLongs().setUnit("{stream}")
        .setDescription("task log streams open now (at most TaskLogsGrpcService.MAX_STREAMS)")
        .buildWithCallback(m -> m.record(streams.open()));
  }

  @Override
  public void taskLogs(TaskLogsRequest request, StreamObserver<TaskLogsResponse> response) {
    ServerCallStreamObserver<TaskLogsResponse> call = (ServerCallStreamObserver<TaskLogsResponse>) response;
    ReadyGate gate = new ReadyGate(call);
    call.setOnReadyHandler(gate::signal);
    StreamLimit.Place place = null;
    try {
      place = streams.enter();
      if (request.getTail() < -1) {
        throw new InvalidArgumentException("tail", "must be -1 (all) or a number of lines, not " + request.getTail());
      }
      String containerId = containerOf(request.getTaskId());
      LogContainerCmd cmd = docker.logContainerCmd(containerId)
          .withStdOut(true).withStdErr(true).withTimestamps(true).withFollowStream(request.getFollow());
      if (request.getTail() >= 0) {
        cmd.withTail((int) Math.min(request.getTail(), Integer.MAX_VALUE));
      } else {
        cmd.withTailAll();
      }
      if (request.hasSince()) {
        // dockerd takes whole seconds here; the lines before the exact time are dropped below.
        cmd.withSince((int) Math.max(0, request.getSince().getSeconds()));
      }
      Reader reader = new Reader(call, gate, request, place);
      call.setOnCancelHandler(() -> {
        gate.cancel();
        reader.closeQuietly();
      });
      cmd.exec(reader);
    } catch (RuntimeException e) {
      if (place != null) {
        place.close();
      }
      call.onError(GrpcErrors.toStatus(e));
    }
  }

  /** Log streams open now. */
  int openStreams() {
    return streams.open();
  }

  /** Closes the logs' own client, which ends the streams still open. */
  @Override
  public void close() throws java.io.IOException {
    docker.close();
  }

  private String containerOf(String taskId) {
    if (taskId.isEmpty()) {
      throw new InvalidArgumentException("task_id", "must be provided");
    }
    List<ContainerEngine.ContainerSummary> found =
        engine.listContainers(Map.of(ContainerConfigs.LABEL_TASK_ID, taskId));
    if (found.isEmpty()) {
      throw ShoalException.notFound("this node has no container of task " + taskId);
    }
    return found.get(0).id();
  }

  /** One call's reading of dockerd: frames to lines, sent as the caller takes them. */
  private static final class Reader extends ResultCallback.Adapter<Frame> {
    private final ServerCallStreamObserver<TaskLogsResponse> call;
    private final ReadyGate gate;
    private final TaskLogsRequest request;
    private final LogLineSplitter splitter = new LogLineSplitter();
    /** The stream's place on this node, given back when dockerd's stream ends or the caller goes. */
    private final StreamLimit.Place place;

    Reader(ServerCallStreamObserver<TaskLogsResponse> call, ReadyGate gate, TaskLogsRequest request,
        StreamLimit.Place place) {
      this.place = place;
      this.call = call;
      this.gate = gate;
      this.request = request;
    }

    @Override
    public void onNext(Frame frame) {
      LogStream stream = frame.getStreamType() == StreamType.STDERR ? LogStream.LOG_STREAM_STDERR
          : LogStream.LOG_STREAM_STDOUT;
      send(splitter.accept(stream, frame.getPayload()));
    }

    private void send(List<LogLine> lines) {
      List<LogLine> kept = request.hasSince()
          ? lines.stream().filter(l -> !before(l.getTime(), request.getSince())).toList()
          : lines;
      if (kept.isEmpty()) {
        return;
      }
      try {
        if (!gate.awaitReady()) {
          closeQuietly();
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closeQuietly();
        return;
      }
      call.onNext(TaskLogsResponse.newBuilder().addAllLines(kept).build());
    }

    private static boolean before(Timestamp a, Timestamp b) {
      return a.getSeconds() < b.getSeconds() || a.getSeconds() == b.getSeconds() && a.getNanos() < b.getNanos();
    }

    @Override
    public void onError(Throwable error) {
      place.close();
      if (gate.cancelled()) {
        return;
      }
      log.debug("log of task {} failed: {}", request.getTaskId(), error.toString());
      call.onError(Status.UNAVAILABLE.withDescription("dockerd: " + error.getMessage()).asRuntimeException());
    }

    @Override
    public void onComplete() {
      place.close();
      if (gate.cancelled()) {
        return;
      }
      send(splitter.flush());
      if (!gate.cancelled()) {
        call.onCompleted();
      }
    }

    void closeQuietly() {
      place.close();
      try {
        close();
      } catch (java.io.IOException | RuntimeException e) {
        log.debug("closing a log stream of task {}: {}", request.getTaskId(), e.toString());
      }
    }
  }
}
