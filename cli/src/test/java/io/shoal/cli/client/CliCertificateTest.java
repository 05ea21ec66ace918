package io.shoal.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.shoal.cli.CliException;
import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.Role;
import io.shoal.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's certificate: the one line it prints when it cannot use it, and when it renews. The
 * renewal itself, at a real control, is ClusterTlsIT's.
 */
class CliCertificateTest {
  @TempDir Path dir;

  @Test
  void aMissingDirectoryOrFileIsOneLineSayingWhatToDo() throws Exception {
    Path certs = TestPki.create(dir).issue("admin", Role.MANAGER);
    assertThat(CliCertificate.read(certs).context()).isNotNull();

    Files.delete(certs.resolve("key.pem"));
    assertThatThrownBy(() -> CliCertificate.read(certs))
        .isInstanceOf(CliException.class)
        .hasMessage("no TLS certificate for control: " + certs + " does not hold ca.pem, cert.pem and key.pem;"
            + " set SHOAL_CERT_PATH to a directory from `shoal-control ca issue --role manager --name admin --out DIR`"
            + " (after deploy/dev.sh up: .dev/pki/cli)");
  }

  @Test
  void anExpiredCertificateIsNamed() {
    Path certs = TestPki.create(dir).issueExpired("admin", Role.MANAGER);
    assertThatThrownBy(() -> CliCertificate.read(certs))
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith("cannot use the TLS certificate for control: " + certs.resolve("cert.pem") + ": ")
        .hasMessageContaining("expired at");
  }

  @Test
  void beforeTwoThirdsOfItsValidityNothingIsAskedAndAfterThemAFailureIsOneWarning() throws Exception {
    Path certs = TestPki.create(dir).issue("admin", Role.MANAGER);
    CliCertificate certificate = CliCertificate.read(certs);
    Instant notAfter = new CertDirectory(certs).read().credentials().notAfter();
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(warnings, true, StandardCharsets.UTF_8);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ManagedChannel nowhere = NettyChannelBuilder.forAddress("127.0.0.1", closedPort)
        .sslContext(certificate.context()).build();
    try {
      assertThat(certificate.renewIfDue(nowhere, Clock.systemUTC(), err)).isFalse();
      assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();

      Clock late = Clock.fixed(notAfter.minus(Duration.ofHours(1)), ZoneOffset.UTC);
      assertThat(certificate.renewIfDue(nowhere, late, err)).isFalse();
      assertThat(warnings.toString(StandardCharsets.UTF_8))
          .startsWith("shoal: warning: the certificate in " + certs + " expires at " + notAfter
              + " and could not be renewed: UNAVAILABLE")
          .hasLineCount(1);
    } finally {
      nowhere.shutdownNow();
    }
  }
}
