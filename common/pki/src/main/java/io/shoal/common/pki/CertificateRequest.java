package io.shoal.common.pki;

import io.shoal.common.errors.InvalidArgumentException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A PKCS#10 certificate signing request whose signature and key have been checked: what a node
 * sends the CA to certify a key that never leaves the node. Only its public key is used; the
 * identity in the certificate comes from the CA's side ({@link CertificateSpec}), as SwarmKit's
 * signing policy trusts nothing else in a CSR.
 */
public final class CertificateRequest {
  /** The largest CSR parsed: an RSA-8192 one is ~1.5 KB, a P-256 one ~250 bytes. */
  public static final int MAX_BYTES = 8 << 10;
  public static final int MIN_RSA_BITS = 2048;
  /** Larger RSA keys buy nothing over 4096 and cost every handshake a slower signature check. */
  public static final int MAX_RSA_BITS = 8192;
  /** The subject Shoal writes in its own CSRs; the CA ignores it. */
  static final String SUBJECT = "CN=shoal-node";
  /** Signatures with SHA-256 or stronger only (no SHA-1 or MD5). */
  private static final Set<ASN1ObjectIdentifier> SIGNATURES = Set.of(
      X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
      X9ObjectIdentifiers.ecdsa_with_SHA512, PKCSObjectIdentifiers.sha256WithRSAEncryption,
      PKCSObjectIdentifiers.sha384WithRSAEncryption, PKCSObjectIdentifiers.sha512WithRSAEncryption,
      PKCSObjectIdentifiers.id_RSASSA_PSS);

  private final PKCS10CertificationRequest request;
  private final PublicKey publicKey;

  private CertificateRequest(PKCS10CertificationRequest request, PublicKey publicKey) {
    this.request = request;
    this.publicKey = publicKey;
  }

  /**
   * A CSR for {@code keys}, signed with their private key (SHA-256): what an agent or the CLI
   * sends. Use {@link Keys#newEcP256()} for the keys.
   */
  public static CertificateRequest create(KeyPair keys) {
    try {
      PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name(SUBJECT), keys.getPublic())
          .build(new JcaContentSignerBuilder(Keys.signatureAlgorithm(keys.getPrivate())).build(keys.getPrivate()));
      return new CertificateRequest(request, keys.getPublic());
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a CSR with " + keys.getPrivate().getAlgorithm(), e);
    }
  }

  /**
   * Parses and checks a CSR from a peer.
   *
   * @throws InvalidArgumentException (field {@code csr}) when it is larger than {@value #MAX_BYTES}
   *     bytes, not DER PKCS#10, its key is not EC P-256 or RSA of {@value #MIN_RSA_BITS} to
   *     {@value #MAX_RSA_BITS} bits, its signature algorithm is weak, or its signature is bad
   */
  public static CertificateRequest fromDer(byte[] der) {
    if (der.length > MAX_BYTES) {
      throw refused("is " + der.length + " bytes, at most " + MAX_BYTES);
    }
    PKCS10CertificationRequest request;
    try {
      request = new PKCS10CertificationRequest(der);
    } catch (IOException | RuntimeException e) {
      throw refused("is not a DER PKCS#10 certificate request (" + e.getMessage() + ")");
    }
    PublicKey key = checkKey(request.getSubjectPublicKeyInfo());
    ASN1ObjectIdentifier signature = request.getSignatureAlgorithm().getAlgorithm();
    if (!SIGNATURES.contains(signature)) {
      throw refused("signature algorithm " + signature + " is not accepted (ECDSA or RSA with SHA-256 or stronger)");
    }
    boolean valid;
    try {
      valid = request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
    } catch (OperatorCreationException | PKCSException | RuntimeException e) {
      throw refused("signature cannot be checked (" + e.getMessage() + ")");
    }
    if (!valid) {
      throw refused("signature does not verify with the request's own key");
    }
    return new CertificateRequest(request, key);
  }

  /** {@link #fromDer} of the one {@code CERTIFICATE REQUEST} block in {@code pem}. */
  public static CertificateRequest fromPem(String pem) {
    byte[] der;
    try {
      der = Pem.decode(pem, Pem.CERTIFICATE_REQUEST);
    } catch (IllegalArgumentException e) {
      throw refused(e.getMessage());
    }
    return fromDer(der);
  }

  /** The key, once it is EC P-256 or RSA of an accepted size. */
  private static PublicKey checkKey(SubjectPublicKeyInfo key) {
    ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
    String jcaAlgorithm;
    if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      if (!SECObjectIdentifiers.secp256r1.equals(key.getAlgorithm().getParameters())) {
        throw refused("EC key is not on curve P-256 (secp256r1); parameters " + key.getAlgorithm().getParameters());
      }
      jcaAlgorithm = "EC";
    } else if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      int bits;
      try {
        bits = RSAPublicKey.getInstance(key.parsePublicKey()).getModulus().bitLength();
      } catch (IOException | RuntimeException e) {
        throw refused("RSA key is malformed (" + e.getMessage() + ")");
      }
      if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
        throw refused("RSA key is " + bits + " bits; " + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " are accepted");
      }
      jcaAlgorithm = "RSA";
    } else {
      throw refused("key algorithm " + algorithm + " is not accepted (EC P-256 or RSA of at least " + MIN_RSA_BITS + " bits)");
    }
    try {
      // By name: the JDK's providers do not know these key algorithms by OID.
      return KeyFactory.getInstance(jcaAlgorithm).generatePublic(new X509EncodedKeySpec(key.getEncoded()));
    } catch (IOException | GeneralSecurityException e) {
      throw refused(jcaAlgorithm + " key is malformed (" + e.getMessage() + ")");
    }
  }

  private static InvalidArgumentException refused(String reason) {
    return new InvalidArgumentException("csr", reason);
  }

  /** The key to certify. */
  SubjectPublicKeyInfo publicKeyInfo() {
    return request.getSubjectPublicKeyInfo();
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  public byte[] der() {
    try {
      return request.getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String pem() {
    return Pem.encode(Pem.CERTIFICATE_REQUEST, der());
  }
}
