package io.shoal.common.pki;

import static io.shoal.common.pki.Fixtures.CLUSTER;
import static io.shoal.common.pki.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.common.errors.InvalidArgumentException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

/** A node's CSR becomes a certificate whose identity and uses come from the CA's side only. */
class IssuingTest {
  private final ClusterCa ca = ClusterCa.create(NOW);
  private final PeerIdentity worker = new PeerIdentity("node0123456789abcdefghijk", Role.WORKER, CLUSTER);

  @Test
  void aCsrBecomesACertificateCarryingTheNodesIdentity() throws Exception {
    KeyPair keys = Keys.newEcP256();
    CertificateRequest csr = CertificateRequest.fromPem(CertificateRequest.create(keys).pem());

    X509Certificate cert = ca.issue(csr, CertificateSpec.of(worker)
        .withAddresses(List.of("10.0.0.7", "fd00::7"), List.of("host-7.lab")), NOW);

    assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(PeerIdentity.of(cert)).isEqualTo(worker);
    assertThat(cert.getSubjectX500Principal().getName())
        .isEqualTo("CN=node0123456789abcdefghijk,OU=shoal-worker,O=" + CLUSTER);
    assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.root().certificate().getSubjectX500Principal());
    assertThat(cert.getNotBefore().toInstant()).isEqualTo(NOW.minus(ClusterCa.BACKDATE));
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(90)));
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getKeyUsage()).containsExactly(true, false, false, false, false, false, false, false, false);
    assertThat(cert.getExtendedKeyUsage()).containsExactly(ClusterTrustManager.SERVER_AUTH, ClusterTrustManager.CLIENT_AUTH);
    assertThat(cert.getSubjectAlternativeNames()).containsExactly(
        List.of(7, "10.0.0.7"), List.of(7, "fd00:0:0:0:0:0:0:7"), List.of(2, "host-7.lab"));
    assertThat(ca.root().verify(List.of(cert), NOW)).isEqualTo(worker);
  }

  @Test
  void theCsrsOwnSubjectIsIgnored() throws Exception {
    KeyPair keys = Keys.newEcP256();
    var forged = new JcaPKCS10CertificationRequestBuilder(
        new X500Name("CN=someone-else,OU=shoal-manager,O=" + CLUSTER), keys.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));

    X509Certificate cert = ca.issue(CertificateRequest.fromDer(forged.getEncoded()), CertificateSpec.of(worker), NOW);

    assertThat(PeerIdentity.of(cert)).isEqualTo(worker);
  }

  @Test
  void aManagerCertificateSaysManager() {
    PeerIdentity manager = new PeerIdentity("manager-1", Role.MANAGER, CLUSTER);

    X509Certificate cert = ca.issue(CertificateRequest.create(Keys.newEcP256()), CertificateSpec.of(manager), NOW);

    assertThat(PeerIdentity.of(cert).role()).isEqualTo(Role.MANAGER);
    assertThat(cert.getSubjectX500Principal().getName()).contains("OU=shoal-manager");
  }

  @Test
  void anRsa2048KeyIsAccepted() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);

    CertificateRequest csr = CertificateRequest.fromDer(CertificateRequest.create(rsa.generateKeyPair()).der());

    assertThat(PeerIdentity.of(ca.issue(csr, CertificateSpec.of(worker), NOW))).isEqualTo(worker);
  }

  @Test
  void aCsrWithABadSignatureIsRefused() {
    byte[] der = CertificateRequest.create(Keys.newEcP256()).der();
    der[der.length - 1] ^= 1;

    assertThatThrownBy(() -> CertificateRequest.fromDer(der))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("csr"))
        .hasMessageContaining("signature does not verify");
  }

  @Test
  void aKeyOnAnotherCurveIsRefused() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp384r1"));

    assertThatThrownBy(() -> CertificateRequest.fromDer(CertificateRequest.create(ec.generateKeyPair()).der()))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("csr: EC key is not on curve P-256");
  }

  @Test
  void aShortRsaKeyIsRefused() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);

    assertThatThrownBy(() -> CertificateRequest.fromDer(CertificateRequest.create(rsa.generateKeyPair()).der()))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("csr: RSA key is 1024 bits; 2048 to 8192 are accepted");
  }

  @Test
  void anotherKeyAlgorithmIsRefused() throws Exception {
    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), ed.getPublic())
        .build(new JcaContentSignerBuilder("Ed25519").build(ed.getPrivate())).getEncoded();

    assertThatThrownBy(() -> CertificateRequest.fromDer(der))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("csr: key algorithm 1.3.101.112 is not accepted");
  }

  @Test
  void aSha1SignatureIsRefused() throws Exception {
    KeyPair keys = Keys.newEcP256();
    byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), keys.getPublic())
        .build(new JcaContentSignerBuilder("SHA1withECDSA").build(keys.getPrivate())).getEncoded();

    assertThatThrownBy(() -> CertificateRequest.fromDer(der))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("signature algorithm 1.2.840.10045.4.1 is not accepted");
  }

  @Test
  void somethingThatIsNotACsrIsRefused() {
    assertThatThrownBy(() -> CertificateRequest.fromDer("hello".getBytes()))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("csr: is not a DER PKCS#10 certificate request");
    assertThatThrownBy(() -> CertificateRequest.fromDer(new byte[CertificateRequest.MAX_BYTES + 1]))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("is 8193 bytes, at most 8192");
    assertThatThrownBy(() -> CertificateRequest.fromPem("no pem here"))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("csr: expected one PEM block CERTIFICATE REQUEST");
  }

  @Test
  void aCertificateCannotOutliveTheRoot() {
    CertificateSpec spec = CertificateSpec.of(worker).withValidity(Duration.ofDays(21 * 366));

    assertThatThrownBy(() -> ca.issue(CertificateRequest.create(Keys.newEcP256()), spec, NOW))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("validity"))
        .hasMessageContaining("outlives the cluster's CA");
  }

  @Test
  void theSpecIsChecked() {
    assertThatThrownBy(() -> CertificateSpec.of(worker).withValidity(Duration.ZERO))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("validity: must be positive");
    assertThatThrownBy(() -> CertificateSpec.of(worker).withAddresses(List.of("10.0.0.300"), List.of()))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("ip_addresses: '10.0.0.300' is not an IPv4 or IPv6 address");
    assertThatThrownBy(() -> CertificateSpec.of(worker).withAddresses(List.of(), List.of("bad_name")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("dns_names: 'bad_name' is not a host name");
    assertThatThrownBy(() -> CertificateSpec.of(worker).withAddresses(java.util.Collections.nCopies(33, "10.0.0.1"), List.of()))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("33 addresses and names, at most 32");
    assertThatThrownBy(() -> new PeerIdentity("", Role.WORKER, CLUSTER))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("node_id: must be 1 to 64");
    assertThatThrownBy(() -> new PeerIdentity("n", Role.WORKER, "x".repeat(65)))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("cluster_id: must be 1 to 64");
  }

  @Test
  void theKeyAndCsrHelpersRoundTripThroughPem() {
    KeyPair keys = Keys.newEcP256();

    assertThat(Pem.parsePrivateKey(Pem.privateKey(keys.getPrivate()))).isEqualTo(keys.getPrivate());
    assertThat(CertificateRequest.fromPem(CertificateRequest.create(keys).pem()).publicKey()).isEqualTo(keys.getPublic());
    assertThat(Keys.match(keys.getPrivate(), keys.getPublic())).isTrue();
    assertThat(Keys.match(keys.getPrivate(), Keys.newEcP256().getPublic())).isFalse();
  }
}
