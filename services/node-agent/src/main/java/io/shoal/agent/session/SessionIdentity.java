package io.shoal.agent.session;

import java.util.Optional;
import javax.inject.Singleton;

/**
 * The id of this node's current dispatcher session (SessionStarted.session_id). It is sent only
 * to this node, over its own Session stream, so it proves to the registry service that a
 * request for pull credentials comes from the node that holds the session.
 */
@Singleton
public final class SessionIdentity {
  private volatile String sessionId;

  @javax.inject.Inject
  public SessionIdentity() {}

  /** Empty while no session is up. */
  public Optional<String> current() {
    return Optional.ofNullable(sessionId);
  }

  void started(String id) {
    sessionId = id;
  }

  void ended() {
    sessionId = null;
  }
}
