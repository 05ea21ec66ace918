package io.shoal.control.ca;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.shoal.common.pki.PeerIdentity;

/** Puts the caller's verified certificate identity, if it showed one, in the call's context. */
public final class PeerIdentityInterceptor implements ServerInterceptor {
  /** The caller's identity; null when it showed no client certificate (a join, or no TLS). */
  public static final Context.Key<PeerIdentity> PEER = Context.key("shoal-peer-identity");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    PeerIdentity peer = PeerIdentity.of(call.getAttributes()).orElse(null);
    return Contexts.interceptCall(Context.current().withValue(PEER, peer), call, headers, next);
  }
}
