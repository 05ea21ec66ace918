package io.shoal.dispatcher;

import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.DispatcherServiceGrpc;
import io.shoal.api.v1.SessionRequest;
import io.shoal.api.v1.SessionResponse;
import io.shoal.common.store.EtcdStore;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Duration;

/** Opens an {@link AgentSession} per Session stream. */
final class DispatcherGrpcService extends DispatcherServiceGrpc.DispatcherServiceImplBase {
  private final SessionManager sessions;
  private final EtcdStore store;
  private final NodeRegistrar registrar;
  private final TaskStatusWriter statusWriter;
  private final DispatcherMetrics metrics;
  private final Clock clock;
  private final Duration heartbeatPeriod;
  private final String dispatcherName;
  private final Duration stallTimeout;

  @Inject
  DispatcherGrpcService(SessionManager sessions, EtcdStore store, NodeRegistrar registrar,
      TaskStatusWriter statusWriter, DispatcherMetrics metrics, Clock clock,
      @Named("heartbeatPeriod") Duration heartbeatPeriod, @Named("dispatcherName") String dispatcherName) {
    this(sessions, store, registrar, statusWriter, metrics, clock, heartbeatPeriod, dispatcherName,
        AgentSession.STALL_TIMEOUT);
  }

  /** With how long an agent may read nothing while messages wait for it (tests shorten it). */
  DispatcherGrpcService(SessionManager sessions, EtcdStore store, NodeRegistrar registrar,
      TaskStatusWriter statusWriter, DispatcherMetrics metrics, Clock clock, Duration heartbeatPeriod,
      String dispatcherName, Duration stallTimeout) {
    this.sessions = sessions;
    this.store = store;
    this.registrar = registrar;
    this.statusWriter = statusWriter;
    this.metrics = metrics;
    this.clock = clock;
    this.heartbeatPeriod = heartbeatPeriod;
    this.dispatcherName = dispatcherName;
    this.stallTimeout = stallTimeout;
  }

  @Override
  public StreamObserver<SessionRequest> session(StreamObserver<SessionResponse> responses) {
    return new AgentSession(responses, sessions, store, registrar, statusWriter, metrics, clock, heartbeatPeriod,
        dispatcherName, stallTimeout);
  }
}
