package io.shoal.common.pki;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A node's TLS identity: its private key and its certificate chain (the leaf, then the root it
 * was issued by, so a joining peer that pins the root's digest finds it in the handshake).
 *
 * @param privateKey the key that never left the node
 * @param chain the leaf first
 */
public record NodeCredentials(PrivateKey privateKey, List<X509Certificate> chain) {
  /** @throws IllegalArgumentException when the chain is empty or the key is not the leaf's */
  public NodeCredentials {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a node certificate chain needs at least the node's certificate");
    }
    if (!Keys.match(privateKey, chain.get(0).getPublicKey())) {
      throw new IllegalArgumentException("the private key does not belong to certificate '"
          + chain.get(0).getSubjectX500Principal() + "'");
    }
  }

  /**
   * The credentials of a certificate the CA issued for {@code keys}, checked against
   * {@code root} at {@code now}: what a node keeps after its CSR was answered.
   *
   * @throws CertificateException when the certificate is not valid under {@code root} at {@code now}
   * @throws IllegalArgumentException when it certifies another key
   */
  public static NodeCredentials issued(KeyPair keys, X509Certificate certificate, RootCertificate root, Instant now)
      throws CertificateException {
    root.verify(List.of(certificate), now);
    return new NodeCredentials(keys.getPrivate(), List.of(certificate, root.certificate()));
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** Who this certificate says the node is. */
  public PeerIdentity identity() {
    return PeerIdentity.of(certificate());
  }

  public Instant notBefore() {
    return certificate().getNotBefore().toInstant();
  }

  /** When the certificate expires: renewal is due well before. */
  public Instant notAfter() {
    return certificate().getNotAfter().toInstant();
  }

  /**
   * When the certificate was issued: not-before plus the CA's backdate ({@link ClusterCa#BACKDATE}),
   * or not-before for one shorter than the backdate. Renewal counts from here: counted from the
   * backdated start, a certificate valid for less than the backdate would be due at once, again
   * and again.
   */
  public Instant issuedAt() {
    Instant issued = notBefore().plus(ClusterCa.BACKDATE);
    return issued.isBefore(notAfter()) ? issued : notBefore();
  }

  /** How long it is valid from its issue: what a renewal gives again. */
  public Duration validity() {
    return Duration.between(issuedAt(), notAfter());
  }

  /** The instant {@code fraction} (0-1) of its validity has passed, counted from its issue. */
  public Instant dueAt(double fraction) {
    return issuedAt().plusMillis((long) (validity().toMillis() * fraction));
  }

  /** Redacted: never prints the key. */
  @Override
  public String toString() {
    return "NodeCredentials[" + certificate().getSubjectX500Principal() + ", until " + notAfter() + "]";
  }
}
