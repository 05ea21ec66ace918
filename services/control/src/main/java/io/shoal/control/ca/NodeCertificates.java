package io.shoal.control.ca;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.ids.Ids;
import io.shoal.common.pki.CertificateRequest;
import io.shoal.common.pki.CertificateSpec;
import io.shoal.common.pki.ClusterCa;
import io.shoal.common.pki.JoinToken;
import io.shoal.common.pki.PeerIdentity;
import io.shoal.common.pki.Pem;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.RootCertificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues node certificates from the cluster CA: to a joining node that shows a current join
 * token (a new node id, the token's role), and to a node renewing its own (same id and role).
 * Only the CSR's public key is used; the identity is always the CA's decision.
 */
public final class NodeCertificates {
  private static final Logger log = LoggerFactory.getLogger(NodeCertificates.class);

  /** A node id, certificate chain and role, as the CA answers a join. */
  public record Issued(String nodeId, Role role, String chainPem) {}

  private final ClusterCaManager cluster;
  private final Duration validity;
  private final Clock clock;

  /** @param validity how long each certificate is valid (Swarm's default: 90 days) */
  public NodeCertificates(ClusterCaManager cluster, Duration validity, Clock clock) {
    this.cluster = cluster;
    this.validity = validity;
    this.clock = clock;
  }

  /**
   * A certificate for a new node in the role {@code presentedToken} is the current token of.
   *
   * @throws io.shoal.common.errors.InvalidArgumentException a malformed token or CSR, or a token
   *     that pins another CA (both digests named)
   * @throws ShoalException PERMISSION_DENIED for a token that is neither current token
   */
  public Issued join(String presentedToken, byte[] csrDer) {
    JoinToken token = JoinToken.parse(presentedToken);
    ClusterCa ca = cluster.ca();
    token.verifyCa(ca.root());
    Optional<Role> role = cluster.tokens().roleOf(token);
    if (role.isEmpty()) {
      throw new ShoalException(Status.Code.PERMISSION_DENIED, "the join token is not this cluster's current worker"
          + " or manager token (rotated, or never issued): ask a manager for one with `shoal cluster join-token"
          + " worker`");
    }
    CertificateRequest csr = CertificateRequest.fromDer(csrDer);
    String nodeId = Ids.newId();
    String chain = issue(ca, csr, new PeerIdentity(nodeId, role.get(), clusterId(ca.root())));
    log.info("node {} joined as a {}", nodeId, role.get().word());
    return new Issued(nodeId, role.get(), chain);
  }

  /**
   * A new certificate for {@code caller}'s own identity and {@code csrDer}'s key.
   *
   * @throws ShoalException PERMISSION_DENIED when the caller's certificate is of another cluster
   */
  public String renew(PeerIdentity caller, byte[] csrDer) {
    ClusterCa ca = cluster.ca();
    if (!caller.clusterId().equals(clusterId(ca.root()))) {
      throw new ShoalException(Status.Code.PERMISSION_DENIED, "certificate of cluster " + caller.clusterId()
          + ", not of this one (" + clusterId(ca.root()) + "): join this cluster with its token");
    }
    CertificateRequest csr = CertificateRequest.fromDer(csrDer);
    String chain = issue(ca, csr, caller);
    log.info("renewed the certificate of {} {}", caller.role().word(), caller.nodeId());
    return chain;
  }

  /**
   * The cluster id in every certificate's O, offline ({@code ca issue}) or joined alike: the
   * root's digest in base 36. A cluster has no other id yet, and this one cannot differ between
   * two certificates of one CA.
   */
  public static String clusterId(RootCertificate root) {
    return root.digest().base36();
  }

  private String issue(ClusterCa ca, CertificateRequest csr, PeerIdentity identity) {
    X509Certificate certificate = ca.issue(csr, CertificateSpec.of(identity).withValidity(validity), clock.instant());
    return Pem.certificates(List.of(certificate, ca.root().certificate()));
  }
}
