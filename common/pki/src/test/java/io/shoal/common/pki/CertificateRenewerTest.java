package io.shoal.common.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a certificate is renewed: into its validity as issued, not as backdated. */
class CertificateRenewerTest {
  private static final ClusterCa CA = ClusterCa.create(Fixtures.NOW);

  private static CertificateRenewer renewer(NodeCredentials credentials, double spread) {
    return new CertificateRenewer(new ReloadableKeyManager(credentials), new CertDirectory(Path.of("unused")),
        CA.root(), null, Clock.systemUTC(), () -> spread);
  }

  @Test
  void aNinetyDayCertificateIsRenewedBetweenHalfAndFourFifthsOfItsValidity() {
    NodeCredentials creds = Fixtures.credentials(CA, "n1", Role.WORKER, Fixtures.NOW, Duration.ofDays(90), List.of());

    assertThat(renewer(creds, 0.5).renewalTime(creds)).isEqualTo(Fixtures.NOW.plus(Duration.ofDays(45)));
    assertThat(renewer(creds, 0.8).renewalTime(creds)).isEqualTo(Fixtures.NOW.plus(Duration.ofDays(72)));
  }

  @Test
  void aCertificateShorterThanTheBackdateIsNotDueAtOnce() {
    NodeCredentials creds = Fixtures.credentials(CA, "n1", Role.WORKER, Fixtures.NOW, Duration.ofSeconds(4), List.of());

    assertThat(renewer(creds, 0.5).renewalTime(creds)).isEqualTo(Fixtures.NOW.plusSeconds(2));
  }
}
