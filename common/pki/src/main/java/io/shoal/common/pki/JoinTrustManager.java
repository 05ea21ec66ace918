package io.shoal.common.pki;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust of a node that joins with a token and has no root yet: it accepts a manager whose
 * chain carries a root with the digest the token pins and whose certificate that root issued
 * for the {@link Role#MANAGER} role, and remembers that root ({@link #root()}) for the node to
 * keep. Anything else fails the handshake before the node sends its token or CSR, naming both
 * digests. Managers send their chain with the root ({@link NodeCredentials#chain()}).
 *
 * <p>Client side only: one instance per join attempt.
 */
public final class JoinTrustManager extends X509ExtendedTrustManager {
  private final JoinToken token;
  private final Clock clock;
  private final TlsRefusals refusals;
  private final AtomicReference<RootCertificate> root = new AtomicReference<>();

  public JoinTrustManager(JoinToken token, Clock clock, TlsRefusals refusals) {
    this.token = token;
    this.clock = clock;
    this.refusals = refusals;
  }

  /** The root the manager presented and the token pinned, once a handshake accepted it. */
  public Optional<RootCertificate> root() {
    return Optional.ofNullable(root.get());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the manager presented no certificate");
    }
    Optional<X509Certificate> pinned = Arrays.stream(chain)
        .filter(c -> CaDigest.of(c).equals(token.caDigest())).findFirst();
    if (pinned.isEmpty()) {
      X509Certificate top = chain[chain.length - 1];
      String message = "the CA of the manager does not match the token: expected " + token.caDigest()
          + " got " + CaDigest.of(top) + " ('" + top.getSubjectX500Principal() + "')";
      refusals.refused(TlsRefusals.Reason.CA_MISMATCH, message);
      throw new CertificateException(message);
    }
    RootCertificate candidate;
    try {
      candidate = RootCertificate.of(pinned.get());
    } catch (IllegalArgumentException e) {
      refusals.refused(TlsRefusals.Reason.UNTRUSTED, e.getMessage());
      throw new CertificateException(e.getMessage(), e);
    }
    new ClusterTrustManager(candidate, Optional.of(Role.MANAGER), clock, refusals)
        .check(chain, ClusterTrustManager.SERVER_AUTH);
    root.set(candidate);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkServerTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    checkServerTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("a joining node trusts servers only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkClientTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    checkClientTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
