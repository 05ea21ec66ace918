package io.shoal.dispatcher;

import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.DispatcherServiceGrpc;
import io.shoal.api.v1.SessionRequest;
import io.shoal.api.v1.SessionResponse;
import jakarta.inject.Inject;

/** Opens an {@link AgentSession}, in a {@link SessionComponent} of its own, per Session stream. */
final class DispatcherGrpcService extends DispatcherServiceGrpc.DispatcherServiceImplBase {
  private final SessionComponent.Factory sessions;

  @Inject
  DispatcherGrpcService(SessionComponent.Factory sessions) {
    this.sessions = sessions;
  }

  @Override
  public StreamObserver<SessionRequest> session(StreamObserver<SessionResponse> responses) {
    return sessions.create(responses).session();
  }
}
