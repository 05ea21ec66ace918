package io.shoal.common.pki;

import static io.shoal.common.pki.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCaTest {
  private final ClusterCa ca = ClusterCa.create(NOW);

  @Test
  void theRootIsASelfSignedP256CaForTwentyYears() throws Exception {
    X509Certificate root = ca.root().certificate();

    assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=shoal-root-ca");
    assertThat(root.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
    assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(((ECPublicKey) root.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
    assertThat(root.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(root.getNotAfter().toInstant()).isEqualTo(NOW.atOffset(ZoneOffset.UTC).plusYears(20).toInstant());
    assertThat(root.getNotBefore().toInstant()).isEqualTo(NOW.minus(ClusterCa.BACKDATE));
    root.verify(root.getPublicKey());
  }

  @Test
  void theDigestIsTheSha256OfTheDerCertificate() throws Exception {
    byte[] sha256 = java.security.MessageDigest.getInstance("SHA-256").digest(ca.root().certificate().getEncoded());

    assertThat(ca.root().digest().toString()).isEqualTo("sha256:" + java.util.HexFormat.of().formatHex(sha256));
    assertThat(RootCertificate.fromPem(ca.root().pem()).digest()).isEqualTo(ca.root().digest());
  }

  @Test
  void savedAndLoadedUnderTheClusterKeyItIsTheSameCa(@TempDir Path dir) throws Exception {
    ClusterKey key = ClusterKey.generate();
    ca.save(dir, key);

    ClusterCa loaded = ClusterCa.load(dir, key);

    assertThat(loaded.root()).isEqualTo(ca.root());
    // The loaded key signs certificates the original root verifies.
    NodeCredentials node = Fixtures.credentials(loaded, "node-1", Role.WORKER);
    assertThat(ca.root().verify(node.chain(), java.time.Instant.now()).nodeId()).isEqualTo("node-1");
  }

  @Test
  void theKeyIsStoredOnlySealed(@TempDir Path dir) throws Exception {
    ca.save(dir, ClusterKey.generate());
    String sealed = Files.readString(dir.resolve(ClusterCa.SEALED_KEY_FILE));

    assertThat(sealed).startsWith("-----BEGIN SHOAL SEALED PRIVATE KEY-----").doesNotContain("BEGIN PRIVATE KEY");
    byte[] scalar = ((ECPrivateKey) ca.privateKey()).getS().toByteArray();
    byte[] content = Base64.getMimeDecoder().decode(sealed.replaceAll("-----[A-Z ]+-----", ""));
    assertThat(HexFormat.of().formatHex(content))
        .as("the sealed file does not hold the key's bytes").doesNotContain(HexFormat.of().formatHex(scalar));
    assertThat(Files.getPosixFilePermissions(dir.resolve(ClusterCa.SEALED_KEY_FILE)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void anotherClusterKeyIsRefused(@TempDir Path dir) {
    ClusterKey key = ClusterKey.generate();
    ClusterKey wrong = ClusterKey.generate();
    ca.save(dir, key);

    assertThatThrownBy(() -> ClusterCa.load(dir, wrong))
        .isInstanceOfSatisfying(ShoalException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("the CA key of " + ca.root().digest())
        .hasMessageContaining("sealed under cluster key " + key.id())
        .hasMessageContaining("not under this cluster key " + wrong.id());
  }

  @Test
  void aSealedKeyDoesNotOpenBesideAnotherCertificate() {
    ClusterKey key = ClusterKey.generate();
    ClusterCa other = ClusterCa.create(NOW);

    assertThatThrownBy(() -> ClusterCa.fromPem(other.root().pem(), ca.sealedKeyPem(key), key))
        .isInstanceOf(ShoalException.class)
        .hasMessageContaining("cannot be decrypted")
        .hasMessageContaining("sealed for another object");
  }
}
