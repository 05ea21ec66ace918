package io.shoal.common.pki;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.shoal.api.v1.CaServiceGrpc;
import io.shoal.api.v1.JoinClusterRequest;
import io.shoal.api.v1.JoinClusterResponse;
import io.shoal.common.errors.ShoalException;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A node's side of joining (SwarmKit's {@code ca.RequestAndSaveNewCertificates}): a new key, a
 * CSR carrying only its public half, sent with the join token over a TLS connection that trusts
 * the manager only if its root has the token's digest, so neither the token nor the CSR reach a
 * manager of another cluster. The answer is verified under that root and written to the node's
 * certificate directory, whose private key never left the node.
 */
public final class ClusterJoin {
  private ClusterJoin() {}

  /**
   * Joins at {@code manager} ({@code host:port} of control) as a {@code role} and writes the
   * result to {@code dir}.
   *
   * @throws ShoalException with the manager's status (PERMISSION_DENIED for a token that is not
   *     current, INVALID_ARGUMENT for a malformed one, UNAVAILABLE when it does not answer), or
   *     FAILED_PRECONDITION when this side refused the manager in the handshake, saying why (a CA
   *     that does not match the token names both digests), or when the token is the other role's
   *     (nothing is written then: a part never holds a certificate of a role it does not play)
   */
  public static CertDirectory.Contents join(JoinToken token, String manager, Role role, CertDirectory dir,
      Clock clock, Duration deadline) {
    AtomicReference<String> refusal = new AtomicReference<>();
    JoinTrustManager trust = new JoinTrustManager(token, clock, (reason, message) -> refusal.set(message));
    KeyPair keys = Keys.newEcP256();
    ManagedChannel channel = NettyChannelBuilder.forTarget(manager).sslContext(ClusterTls.join(trust)).build();
    try {
      JoinClusterResponse joined = CaServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .joinCluster(JoinClusterRequest.newBuilder().setToken(token.value())
              .setCsr(ByteString.copyFrom(CertificateRequest.create(keys).der())).build());
      RootCertificate root = trust.root().orElseThrow(() -> new IllegalStateException("joined without a handshake"));
      NodeCredentials credentials = credentials(keys, joined.getCertificateChainPem(), root, clock);
      if (!credentials.identity().nodeId().equals(joined.getNodeId())) {
        throw ShoalException.failedPrecondition("the manager at " + manager + " answered node id "
            + joined.getNodeId() + " with a certificate for " + credentials.identity().nodeId());
      }
      Role given = credentials.identity().role();
      if (given != role) {
        throw ShoalException.failedPrecondition("cannot join the cluster at " + manager + ": the token is its "
            + given.word() + " token, and this part joins as a " + role.word() + ": use the token that `shoal cluster"
            + " join-token " + role.word() + "` prints");
      }
      dir.write(root, credentials);
      return new CertDirectory.Contents(root, credentials);
    } catch (StatusRuntimeException e) {
      String why = refusal.get() != null ? refusal.get()
          : e.getStatus().getDescription() != null ? e.getStatus().getDescription() : e.getStatus().getCode().toString();
      // Refused by this side: the manager is not the one the token names, which asking again will not change.
      Status.Code code = refusal.get() != null ? Status.Code.FAILED_PRECONDITION : e.getStatus().getCode();
      throw new ShoalException(code, "cannot join the cluster at " + manager + ": " + why);
    } finally {
      channel.shutdownNow();
    }
  }

  /** {@code chainPem} (leaf, root) as credentials for {@code keys}, verified under {@code root}. */
  static NodeCredentials credentials(KeyPair keys, String chainPem, RootCertificate root, Clock clock) {
    List<X509Certificate> chain = Pem.parseCertificates(chainPem);
    if (chain.isEmpty()) {
      throw ShoalException.failedPrecondition("the manager answered no certificate");
    }
    try {
      return NodeCredentials.issued(keys, chain.get(0), root, clock.instant());
    } catch (CertificateException e) {
      throw ShoalException.failedPrecondition("the manager's certificate for this node does not verify under the"
          + " cluster's root " + root.digest() + ": " + e.getMessage());
    }
  }
}
