package io.shoal.dispatcher;

import dagger.BindsInstance;
import dagger.Subcomponent;
import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.SessionResponse;

/** One agent's Session stream: its {@link AgentSession} and what the session owns. */
@SessionScope
@Subcomponent
interface SessionComponent {
  AgentSession session();

  @Subcomponent.Factory
  interface Factory {
    SessionComponent create(@BindsInstance StreamObserver<SessionResponse> responses);
  }
}
