package io.shoal.common.pki;

import static io.shoal.common.pki.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A certificate is accepted only from this cluster's root and only while valid. */
class VerificationTest {
  private final ClusterCa ca = ClusterCa.create(NOW);
  private final NodeCredentials node =
      Fixtures.credentials(ca, "node-1", Role.WORKER, NOW, Duration.ofHours(2), List.of());

  @Test
  void aCertificateIsValidFromTheBackdateToItsExpiry() throws Exception {
    assertThat(ca.root().verify(node.chain(), NOW.minus(ClusterCa.BACKDATE)).nodeId()).isEqualTo("node-1");
    assertThat(ca.root().verify(List.of(node.certificate()), NOW.plus(Duration.ofHours(2))).role()).isEqualTo(Role.WORKER);
  }

  @Test
  void anExpiredCertificateIsRefused() {
    assertThatThrownBy(() -> ca.root().verify(node.chain(), NOW.plus(Duration.ofHours(2)).plusSeconds(1)))
        .isInstanceOf(CertificateExpiredException.class)
        .hasMessageContaining("OU=shoal-worker")
        .hasMessageContaining("expired at " + NOW.plus(Duration.ofHours(2)));
  }

  @Test
  void aCertificateNotYetValidIsRefused() {
    assertThatThrownBy(() -> ca.root().verify(node.chain(), NOW.minus(ClusterCa.BACKDATE).minusSeconds(1)))
        .isInstanceOf(CertificateNotYetValidException.class)
        .hasMessageContaining("is not valid before " + NOW.minus(ClusterCa.BACKDATE))
        .hasMessageContaining("is a clock wrong?");
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() {
    ClusterCa other = ClusterCa.create(NOW);
    NodeCredentials stranger = Fixtures.credentials(other, "node-1", Role.WORKER, NOW, Duration.ofHours(2), List.of());

    assertThatThrownBy(() -> ca.root().verify(stranger.chain(), NOW))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("was not issued by this cluster's CA " + ca.root().digest());
    // Nor does carrying this cluster's root in the chain help.
    assertThatThrownBy(() -> ca.root().verify(List.of(stranger.certificate(), ca.root().certificate()), NOW))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("was not issued by this cluster's CA");
  }

  @Test
  void theRootItselfIsNoNodeIdentity() {
    assertThatThrownBy(() -> ca.root().verify(List.of(ca.root().certificate()), NOW))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("carries no Shoal node identity");
  }

  @Test
  void aCertDirectoryKeepsRootCertificateAndKey(@TempDir Path dir) throws Exception {
    CertDirectory files = new CertDirectory(dir.resolve("certs"));
    assertThat(files.exists()).isFalse();

    files.write(ca.root(), node);
    CertDirectory.Contents read = files.read();

    assertThat(files.exists()).isTrue();
    assertThat(read.root()).isEqualTo(ca.root());
    assertThat(read.credentials().chain()).isEqualTo(node.chain());
    assertThat(read.credentials().privateKey()).isEqualTo(node.privateKey());
    assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve("certs/key.pem")))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefused() {
    assertThatThrownBy(() -> new NodeCredentials(Keys.newEcP256().getPrivate(), node.chain()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the private key does not belong to certificate");
  }
}
