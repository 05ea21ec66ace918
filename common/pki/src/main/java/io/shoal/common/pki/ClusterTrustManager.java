package io.shoal.common.pki;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a peer only when its chain was issued by the cluster's root, is valid now, allows this
 * side of the handshake (extended key usage clientAuth for a client, serverAuth for a server)
 * and, when a role is required, is of that role. Nothing else is trusted: not the JDK's CAs, not
 * a host name. A peer is who its certificate says ({@link PeerIdentity}), as in SwarmKit, where a
 * client checks the server's role rather than its address.
 *
 * <p>Thread-safe: immutable; the root is fixed for the context's life (CA rotation will build
 * new contexts).
 */
public final class ClusterTrustManager extends X509ExtendedTrustManager {
  static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final RootCertificate root;
  private final Optional<Role> requiredRole;
  private final Clock clock;
  private final TlsRefusals refusals;

  /**
   * @param requiredRole the only role accepted from peers, or empty for any (a server leaves
   *     roles to its interceptors; a client of control requires {@link Role#MANAGER})
   */
  public ClusterTrustManager(RootCertificate root, Optional<Role> requiredRole, Clock clock, TlsRefusals refusals) {
    this.root = root;
    this.requiredRole = requiredRole;
    this.clock = clock;
    this.refusals = refusals;
  }

  public RootCertificate root() {
    return root;
  }

  /**
   * The check both sides run: chain, validity, usage and role.
   *
   * @return the peer's identity
   */
  PeerIdentity check(X509Certificate[] chain, String usage) throws CertificateException {
    PeerIdentity identity;
    try {
      identity = root.verify(chain == null ? List.of() : Arrays.asList(chain), clock.instant());
    } catch (CertificateExpiredException e) {
      throw refuse(TlsRefusals.Reason.EXPIRED, e);
    } catch (CertificateNotYetValidException e) {
      throw refuse(TlsRefusals.Reason.NOT_YET_VALID, e);
    } catch (CertificateException e) {
      throw refuse(TlsRefusals.Reason.UNTRUSTED, e);
    }
    List<String> usages = chain[0].getExtendedKeyUsage();
    if (usages == null || !usages.contains(usage)) {
      throw refuse(TlsRefusals.Reason.WRONG_USAGE, new CertificateException("certificate of node "
          + identity.nodeId() + " does not allow " + (usage.equals(SERVER_AUTH) ? "serverAuth" : "clientAuth")));
    }
    if (requiredRole.isPresent() && identity.role() != requiredRole.get()) {
      throw refuse(TlsRefusals.Reason.WRONG_ROLE, new CertificateException("node " + identity.nodeId()
          + " is a " + identity.role() + "; only a " + requiredRole.get() + " is accepted here"));
    }
    return identity;
  }

  private CertificateException refuse(TlsRefusals.Reason reason, CertificateException e) {
    refusals.refused(reason, e.getMessage());
    return e;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, CLIENT_AUTH);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain, CLIENT_AUTH);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain, CLIENT_AUTH);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, SERVER_AUTH);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain, SERVER_AUTH);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain, SERVER_AUTH);
  }

  /** The root only: a server names it in its certificate request, so a client picks the right certificate. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {root.certificate()};
  }
}
