package io.shoal.common.pki;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The cluster's root certificate without its key: what every node and CLI holds and trusts, and
 * nothing else. {@link #verify} is the one check of a peer's certificate chain.
 */
public final class RootCertificate {
  private final X509Certificate certificate;
  private final CaDigest digest;
  private final TrustAnchor anchor;

  private RootCertificate(X509Certificate certificate) {
    this.certificate = certificate;
    this.digest = CaDigest.of(certificate);
    this.anchor = new TrustAnchor(certificate, null);
  }

  /**
   * {@code certificate} as a root: a CA certificate (basic constraints cA) that signed itself.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static RootCertificate of(X509Certificate certificate) {
    if (certificate.getBasicConstraints() < 0) {
      throw new IllegalArgumentException("certificate '" + certificate.getSubjectX500Principal() + "' is not a CA");
    }
    try {
      certificate.verify(certificate.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("certificate '" + certificate.getSubjectX500Principal()
          + "' is not self-signed: " + e.getMessage(), e);
    }
    return new RootCertificate(certificate);
  }

  /** The first certificate of {@code pem} as a root. */
  public static RootCertificate fromPem(String pem) {
    return of(Pem.parseCertificate(pem));
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** SHA-256 of the DER certificate: what `shoal cluster ca` prints and join tokens pin. */
  public CaDigest digest() {
    return digest;
  }

  public String pem() {
    return Pem.certificate(certificate);
  }

  /**
   * Checks that {@code chain} (leaf first; the root itself may be included, intermediates are
   * followed) was issued by this root and is valid at {@code at}, and returns the leaf's identity.
   *
   * @throws CertificateExpiredException when the leaf (or the root) has expired
   * @throws CertificateNotYetValidException when the leaf is not valid yet (clock skew beyond the
   *     backdating, or a certificate from the future)
   * @throws CertificateException when another CA issued it, or it carries no Shoal identity; the
   *     message names the certificate and this root's digest
   */
  public PeerIdentity verify(List<? extends Certificate> chain, Instant at) throws CertificateException {
    if (chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
      throw new CertificateException("no X.509 certificate was presented");
    }
    checkValidity(leaf, at);
    checkValidity(certificate, at);
    List<Certificate> path = new ArrayList<>(chain);
    path.removeIf(certificate::equals);
    try {
      PKIXParameters parameters = new PKIXParameters(Set.of(anchor));
      // Revocation is Shoal's own list (node rm), checked by the caller, not CRLs or OCSP.
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
    } catch (CertPathValidatorException e) {
      throw new CertificateException("certificate '" + leaf.getSubjectX500Principal()
          + "' (issued by '" + leaf.getIssuerX500Principal() + "') was not issued by this cluster's CA "
          + digest + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
      throw new IllegalStateException("PKIX validation unavailable", e);
    }
    try {
      return PeerIdentity.of(leaf);
    } catch (IllegalArgumentException e) {
      throw new CertificateException(e.getMessage(), e);
    }
  }

  private static void checkValidity(X509Certificate certificate, Instant at)
      throws CertificateExpiredException, CertificateNotYetValidException {
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (at.isAfter(notAfter)) {
      throw new CertificateExpiredException("certificate '" + certificate.getSubjectX500Principal()
          + "' expired at " + notAfter + " (it is now " + at + ")");
    }
    if (at.isBefore(notBefore)) {
      throw new CertificateNotYetValidException("certificate '" + certificate.getSubjectX500Principal()
          + "' is not valid before " + notBefore + " (it is now " + at + "; is a clock wrong?)");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RootCertificate other && digest.equals(other.digest);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "RootCertificate[" + certificate.getSubjectX500Principal() + ", " + digest + "]";
  }
}
