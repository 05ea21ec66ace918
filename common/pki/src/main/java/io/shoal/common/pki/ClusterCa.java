package io.shoal.common.pki;

import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificate authority: its self-signed root and the root's private key, which
 * signs node certificates. Only managers hold it, and only sealed under the cluster key at rest
 * ({@link #sealedKeyPem}); the root certificate alone ({@link #root()}) is public.
 *
 * <pre>{@code
 * ClusterCa ca = ClusterCa.create(Instant.now());          // `shoal cluster init`
 * ca.save(dir, clusterKey);                                 // root-ca.pem + root-ca-key.sealed
 * ClusterCa same = ClusterCa.load(dir, clusterKey);        // every manager start
 * X509Certificate cert = ca.issue(CertificateRequest.fromDer(der),
 *     CertificateSpec.of(new PeerIdentity(nodeId, Role.WORKER, clusterId)), Instant.now());
 * }</pre>
 *
 * <p>Thread-safe: immutable.
 */
public final class ClusterCa {
  public static final String COMMON_NAME = "shoal-root-ca";
  public static final int ROOT_VALIDITY_YEARS = 20;
  /**
   * How far before "now" certificates start, so a peer whose clock is behind accepts a fresh one
   * (SwarmKit's CertBackdate).
   */
  public static final Duration BACKDATE = Duration.ofHours(1);
  /** The files {@link #save} writes. */
  public static final String CERTIFICATE_FILE = "root-ca.pem";
  public static final String SEALED_KEY_FILE = "root-ca-key.sealed";
  static final String SEALED_KEY_PEM_TYPE = "SHOAL SEALED PRIVATE KEY";
  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RootCertificate root;
  private final PrivateKey key;

  private ClusterCa(RootCertificate root, PrivateKey key) {
    this.root = root;
    this.key = key;
  }

  /** A new root: an ECDSA P-256 key and a self-signed certificate valid for 20 years from {@code now}. */
  public static ClusterCa create(Instant now) {
    KeyPair keys = Keys.newEcP256();
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, COMMON_NAME).build();
    Instant notAfter = now.atOffset(ZoneOffset.UTC).plusYears(ROOT_VALIDITY_YEARS).toInstant();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
      X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
          name, serialNumber(), Date.from(now.minus(BACKDATE)), Date.from(notAfter), name, publicKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey));
      return new ClusterCa(RootCertificate.of(sign(builder, keys.getPrivate())), keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create the root certificate", e);
    }
  }

  /** The public half: what nodes trust and `shoal cluster ca` prints the digest of. */
  public RootCertificate root() {
    return root;
  }

  /** For tests only: the key never leaves this class otherwise, but sealed. */
  PrivateKey privateKey() {
    return key;
  }

  /**
   * Signs {@code request}'s key into a node certificate for {@code spec}: subject O=cluster id,
   * OU=role, CN=node id; valid from {@code now} minus {@link #BACKDATE} until {@code now} plus
   * the spec's validity; key usage digitalSignature, extended key usage serverAuth and
   * clientAuth; the spec's addresses and names as subject alternative names.
   *
   * @throws InvalidArgumentException (field {@code validity}) when it would outlive the root
   */
  public X509Certificate issue(CertificateRequest request, CertificateSpec spec, Instant now) {
    Instant notAfter = now.plus(spec.validity());
    Instant rootNotAfter = root.certificate().getNotAfter().toInstant();
    if (notAfter.isAfter(rootNotAfter)) {
      throw new InvalidArgumentException("validity", spec.validity() + " from " + now
          + " outlives the cluster's CA, which expires at " + rootNotAfter);
    }
    List<GeneralName> altNames = new ArrayList<>();
    spec.ipAddresses().forEach(ip -> altNames.add(new GeneralName(GeneralName.iPAddress, ip)));
    spec.dnsNames().forEach(dns -> altNames.add(new GeneralName(GeneralName.dNSName, dns)));
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
          X500Name.getInstance(root.certificate().getSubjectX500Principal().getEncoded()), serialNumber(),
          Date.from(now.minus(BACKDATE)), Date.from(notAfter), spec.identity().subject(), request.publicKeyInfo())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(request.publicKeyInfo()))
          .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(root.certificate()));
      if (!altNames.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(altNames.toArray(GeneralName[]::new)));
      }
      return sign(builder, key);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + spec.identity(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws CertificateException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key)));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with " + SIGNATURE_ALGORITHM, e);
    }
  }

  /** 128 random bits, positive (RFC 5280 allows up to 20 octets; unpredictable as CAs do). */
  private static BigInteger serialNumber() {
    return new BigInteger(128, RANDOM).setBit(127);
  }

  /**
   * The CA's private key sealed under {@code clusterKey} (AES-256-GCM, bound to this root's
   * digest, so it opens only beside its own certificate), as PEM: safe to store anywhere the
   * cluster key is not.
   */
  public String sealedKeyPem(ClusterKey clusterKey) {
    return Pem.encode(SEALED_KEY_PEM_TYPE, clusterKey.seal(key.getEncoded(), associatedData(root)).encode());
  }

  /**
   * The CA from its certificate and {@link #sealedKeyPem}.
   *
   * @throws ShoalException FAILED_PRECONDITION when the key was sealed under another cluster key,
   *     altered, or belongs to another certificate
   * @throws IllegalArgumentException when the texts are not a root certificate and a sealed key
   */
  public static ClusterCa fromPem(String certificatePem, String sealedKeyPem, ClusterKey clusterKey) {
    RootCertificate root = RootCertificate.fromPem(certificatePem);
    String what = "the CA key of " + root.digest();
    ClusterKey.Sealed sealed = ClusterKey.Sealed.decode(Pem.decode(sealedKeyPem, SEALED_KEY_PEM_TYPE), what);
    byte[] pkcs8 = clusterKey.open(sealed, associatedData(root), what);
    PrivateKey key;
    try {
      key = KeyFactory.getInstance(root.certificate().getPublicKey().getAlgorithm())
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw ShoalException.failedPrecondition(what + " is not a private key: " + e.getMessage());
    }
    if (!Keys.match(key, root.certificate().getPublicKey())) {
      throw ShoalException.failedPrecondition(what + " does not belong to that certificate");
    }
    return new ClusterCa(root, key);
  }

  private static byte[] associatedData(RootCertificate root) {
    return ("shoal-root-ca-key:" + root.digest()).getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes {@value #CERTIFICATE_FILE} and {@value #SEALED_KEY_FILE} into {@code directory} (created if missing). */
  public void save(Path directory, ClusterKey clusterKey) {
    AtomicFiles.writeAtomically(directory.resolve(CERTIFICATE_FILE), root.pem(), false);
    AtomicFiles.writeAtomically(directory.resolve(SEALED_KEY_FILE), sealedKeyPem(clusterKey), true);
  }

  /** Reads what {@link #save} wrote. */
  public static ClusterCa load(Path directory, ClusterKey clusterKey) {
    try {
      return fromPem(AtomicFiles.read(directory.resolve(CERTIFICATE_FILE)),
          AtomicFiles.read(directory.resolve(SEALED_KEY_FILE)), clusterKey);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "ClusterCa[" + root.digest() + "]";
  }
}
