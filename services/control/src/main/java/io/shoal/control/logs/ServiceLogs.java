package io.shoal.control.logs;

import io.grpc.stub.ServerCallStreamObserver;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceLogsRequest;
import io.shoal.api.v1.ServiceLogsResponse;
import io.shoal.common.errors.GrpcErrors;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.server.StreamLimit;
import io.shoal.common.store.EtcdStore;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** ServiceLogs: checks the request, resolves its target and runs a {@link ServiceLogsCall}. */
public final class ServiceLogs {
  /**
   * Logs calls open at once: each holds two etcd watches when it follows and a stream to an agent
   * per task; past it a caller gets RESOURCE_EXHAUSTED (an agent has its own limit too).
   */
  static final int MAX_CALLS = 256;

  private final EtcdStore store;
  private final AgentChannels channels;
  private final Function<String, Service> findService;
  private final Function<String, Optional<Node>> nodes;
  private final StreamLimit calls = new StreamLimit("logs calls", "control", MAX_CALLS);
  /** Opens the streams of tasks that start during a followed call (read etcd off its watch thread). */
  private final ExecutorService opener = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "logs-opener");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param findService a service by id, name or prefix (NOT_FOUND when none)
   * @param nodes a node by id, with what its agent registered
   */
  public ServiceLogs(EtcdStore store, AgentChannels channels, Function<String, Service> findService,
      Function<String, Optional<Node>> nodes) {
    this.store = store;
    this.channels = channels;
    this.findService = findService;
    this.nodes = nodes;
  }

  /** Logs calls open now. */
  public int openCalls() {
    return calls.open();
  }

  public void logs(ServiceLogsRequest request, ServerCallStreamObserver<ServiceLogsResponse> call) {
    try {
      if (request.getTail() < -1) {
        throw new InvalidArgumentException("tail", "must be -1 (all) or a number of lines, not " + request.getTail());
      }
      LogTargets.Target target = LogTargets.resolve(store, findService, request.getTarget());
      StreamLimit.Place place = calls.enter();
      try {
        new ServiceLogsCall(store, channels, nodes, opener, request, target, call, place).start();
      } catch (RuntimeException e) {
        place.close();
        throw e;
      }
    } catch (RuntimeException e) {
      call.onError(GrpcErrors.toStatus(e));
    }
  }
}
