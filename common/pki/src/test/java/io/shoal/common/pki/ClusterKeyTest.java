package io.shoal.common.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterKeyTest {
  private static final byte[] SECRET = "the CA's private key".getBytes(StandardCharsets.UTF_8);
  private static final byte[] AAD = "object-1".getBytes(StandardCharsets.UTF_8);

  @Test
  void sealsAndOpensThroughItsEncoding() {
    ClusterKey key = ClusterKey.generate();
    byte[] encoded = key.seal(SECRET, AAD).encode();

    assertThat(new String(encoded, StandardCharsets.ISO_8859_1)).doesNotContain("private key");
    assertThat(key.open(ClusterKey.Sealed.decode(encoded, "it"), AAD, "it")).isEqualTo(SECRET);
  }

  @Test
  void aValueSealedUnderAnotherKeyIsNamedAsSuch() {
    ClusterKey sealer = ClusterKey.generate();
    ClusterKey other = ClusterKey.generate();
    ClusterKey.Sealed sealed = sealer.seal(SECRET, AAD);

    assertThatThrownBy(() -> other.open(sealed, AAD, "the CA key"))
        .isInstanceOfSatisfying(ShoalException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("the CA key was sealed under cluster key " + sealer.id())
        .hasMessageContaining("not under this cluster key " + other.id());
  }

  @Test
  void anAlteredValueOrAnotherObjectsDoesNotOpen() {
    ClusterKey key = ClusterKey.generate();
    ClusterKey.Sealed sealed = key.seal(SECRET, AAD);
    byte[] altered = sealed.ciphertext().clone();
    altered[0] ^= 1;

    assertThatThrownBy(() -> key.open(new ClusterKey.Sealed(sealed.keyId(), sealed.nonce(), altered), AAD, "it"))
        .isInstanceOf(ShoalException.class).hasMessageContaining("altered");
    assertThatThrownBy(() -> key.open(sealed, "object-2".getBytes(StandardCharsets.UTF_8), "it"))
        .isInstanceOf(ShoalException.class).hasMessageContaining("altered, or sealed for another object");
  }

  @Test
  void somethingElseIsNotASealedValue() {
    assertThatThrownBy(() -> ClusterKey.Sealed.decode(new byte[] {2, 0, 0}, "the CA key"))
        .isInstanceOf(ShoalException.class).hasMessageContaining("the CA key is not a value sealed by Shoal");
  }

  @Test
  void readsTheRegistryServicesKeyFileFormat(@TempDir Path dir) throws Exception {
    byte[] raw = new byte[32];
    raw[5] = 7;
    Path file = dir.resolve("cluster.key");
    Files.writeString(file, Base64.getEncoder().encodeToString(raw) + "\n");

    ClusterKey fromFile = ClusterKey.fromFile(file);

    assertThat(fromFile.id()).isEqualTo(ClusterKey.fromBase64(Base64.getEncoder().encodeToString(raw)).id());
    assertThat(fromFile.id()).hasSize(16);
    assertThat(fromFile.open(fromFile.seal(SECRET, AAD), AAD, "it")).isEqualTo(SECRET);
  }

  @Test
  void aKeyOfAnotherLengthIsRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("short.key");
    Files.writeString(file, Base64.getEncoder().encodeToString(new byte[16]));

    assertThatThrownBy(() -> ClusterKey.fromFile(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("must be 32 bytes").hasMessageContaining("got 16");
  }
}
