package io.shoal.common.pki.authz;

import io.grpc.Context;
import io.shoal.common.pki.PeerIdentity;
import java.util.Optional;

/**
 * The verified identity of the caller of the current gRPC call, as {@link AuthorizationInterceptor}
 * put it in the call's context: for the code that checks a worker acts only for its own node.
 */
public final class CallerIdentity {
  static final Context.Key<PeerIdentity> KEY = Context.key("shoal-caller-identity");

  private CallerIdentity() {}

  /** The caller's certificate identity; empty for a call without one (a join, or no TLS). */
  public static Optional<PeerIdentity> current() {
    return Optional.ofNullable(KEY.get());
  }
}
