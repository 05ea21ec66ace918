package io.shoal.common.pki.authz;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.shoal.common.pki.PeerIdentity;
import io.shoal.common.pki.Role;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Every call on a TLS server passes here before its handler: the caller's identity is read from
 * its verified certificate (never from anything it sends), a removed node is refused, and the
 * {@link CallPolicy} decides. A refusal is UNAUTHENTICATED (no certificate) or PERMISSION_DENIED
 * (a removed node, a role the method does not take), in one line naming the caller, the method
 * and what to do; each is reported to {@code refusals} for counting. Allowed calls carry the
 * identity in their context ({@link CallerIdentity}).
 *
 * <p>Revocation is checked on every call, not at the handshake only: a gRPC connection opened
 * before `node rm` lives on, and so would the node's calls.
 */
public final class AuthorizationInterceptor implements ServerInterceptor {
  private final CallPolicy policy;
  private final Predicate<String> revoked;
  private final BiConsumer<Status.Code, String> refusals;

  /**
   * @param revoked whether a node id was removed from the cluster
   * @param refusals told of every refused call (code, method), to count them
   */
  public AuthorizationInterceptor(CallPolicy policy, Predicate<String> revoked,
      BiConsumer<Status.Code, String> refusals) {
    this.policy = policy;
    this.revoked = revoked;
    this.refusals = refusals;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Optional<PeerIdentity> caller = PeerIdentity.of(call.getAttributes());
    Status refusal = check(method, caller);
    if (refusal != null) {
      refusals.accept(refusal.getCode(), method);
      call.close(refusal, new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current().withValue(CallerIdentity.KEY, caller.orElse(null));
    return Contexts.interceptCall(context, call, headers, next);
  }

  /** Null when the call may go on; else why not. Visible for tests. */
  Status check(String method, Optional<PeerIdentity> caller) {
    Optional<CallPolicy.Rule> rule = policy.ruleFor(method);
    if (rule.isPresent() && rule.get().open()) {
      return caller.isPresent() && revoked.test(caller.get().nodeId()) ? removed(caller.get()) : null;
    }
    if (caller.isEmpty()) {
      return Status.UNAUTHENTICATED.withDescription(method + " needs a certificate of this cluster: give the"
          + " CLI one with SHOAL_CERT_PATH, a service with --cert-dir, or join the node with a token");
    }
    PeerIdentity who = caller.get();
    if (revoked.test(who.nodeId())) {
      return removed(who);
    }
    if (rule.isEmpty()) {
      return Status.PERMISSION_DENIED.withDescription("no role may call " + method + " on this service");
    }
    if (!rule.get().roles().contains(who.role())) {
      return Status.PERMISSION_DENIED.withDescription("a " + name(who.role()) + " certificate (" + who.nodeId()
          + ") may not call " + method + ": it is for " + names(rule.get()));
    }
    return null;
  }

  private static Status removed(PeerIdentity who) {
    return Status.PERMISSION_DENIED.withDescription("node " + who.nodeId() + " was removed from the cluster"
        + " (node rm): its certificate no longer works; join again with a join token");
  }

  private static String name(Role role) {
    return role == Role.MANAGER ? "manager" : "worker";
  }

  private static String names(CallPolicy.Rule rule) {
    return rule.roles().size() == Role.values().length ? "members of the cluster"
        : rule.roles().contains(Role.MANAGER) ? "managers (the control plane and the CLI)" : "workers";
  }
}
