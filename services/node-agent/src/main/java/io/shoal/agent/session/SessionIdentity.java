package io.shoal.agent.session;

import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The secret of this node's current dispatcher session (SessionStarted.session_secret). It is
 * sent only to this node, over its own Session stream, and etcd keeps only its hash, so it proves
 * to the registry service that a request for pull credentials comes from the node that holds
 * the session. Never logged.
 */
@Singleton
public final class SessionIdentity {
  private volatile String secret;

  @jakarta.inject.Inject
  public SessionIdentity() {}

  /** Empty while no session is up. */
  public Optional<String> current() {
    return Optional.ofNullable(secret);
  }

  void started(String sessionSecret) {
    secret = sessionSecret.isEmpty() ? null : sessionSecret;
  }

  void ended() {
    secret = null;
  }
}
