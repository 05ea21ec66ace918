package io.shoal.dispatcher;

import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.DispatcherServiceGrpc;
import io.shoal.api.v1.SessionRequest;
import io.shoal.api.v1.SessionResponse;
import io.shoal.common.store.EtcdStore;
import java.time.Duration;
import javax.inject.Inject;
import javax.inject.Named;

/** Opens an {@link AgentSession} per Session stream. */
final class DispatcherGrpcService extends DispatcherServiceGrpc.DispatcherServiceImplBase {
  private final SessionManager sessions;
  private final EtcdStore store;
  private final NodeRegistrar registrar;
  private final TaskStatusWriter statusWriter;
  private final Duration heartbeatPeriod;
  private final String dispatcherName;

  @Inject
  DispatcherGrpcService(SessionManager sessions, EtcdStore store, NodeRegistrar registrar,
      TaskStatusWriter statusWriter, @Named("heartbeatPeriod") Duration heartbeatPeriod,
      @Named("dispatcherName") String dispatcherName) {
    this.sessions = sessions;
    this.store = store;
    this.registrar = registrar;
    this.statusWriter = statusWriter;
    this.heartbeatPeriod = heartbeatPeriod;
    this.dispatcherName = dispatcherName;
  }

  @Override
  public StreamObserver<SessionRequest> session(StreamObserver<SessionResponse> responses) {
    return new AgentSession(responses, sessions, store, registrar, statusWriter, heartbeatPeriod, dispatcherName);
  }
}
