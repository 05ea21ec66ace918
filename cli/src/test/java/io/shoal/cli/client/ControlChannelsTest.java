package io.shoal.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.cli.CliException;
import io.shoal.common.pki.Role;
import io.shoal.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the CLI finds its certificate, and the one line it prints when it cannot. */
class ControlChannelsTest {
  @TempDir Path dir;

  @Test
  void theCertPathIsShoalCertPathElseTheXdgConfigDirElseHomesConfig() {
    assertThat(ControlChannels.certPath(Map.of("SHOAL_CERT_PATH", "/certs", "XDG_CONFIG_HOME", "/xdg")))
        .isEqualTo(Path.of("/certs"));
    assertThat(ControlChannels.certPath(Map.of("XDG_CONFIG_HOME", "/xdg", "HOME", "/home/u")))
        .isEqualTo(Path.of("/xdg/shoal/certs"));
    assertThat(ControlChannels.certPath(Map.of("HOME", "/home/u"))).isEqualTo(Path.of("/home/u/.config/shoal/certs"));
  }

  @Test
  void aMissingDirectoryOrFileIsOneLineSayingWhatToDo() throws Exception {
    Path certs = TestPki.create(dir).issue("admin", Role.MANAGER);
    assertThat(ControlChannels.tls(certs)).isNotNull();

    Files.delete(certs.resolve("key.pem"));
    assertThatThrownBy(() -> ControlChannels.tls(certs))
        .isInstanceOf(CliException.class)
        .hasMessage("no TLS certificate for control: " + certs + " does not hold ca.pem, cert.pem and key.pem;"
            + " set SHOAL_CERT_PATH to a directory from `shoal-control ca issue --role manager --name admin --out DIR`"
            + " (after deploy/dev.sh up: .dev/pki/cli)");
  }

  @Test
  void anExpiredCertificateIsNamed() {
    Path certs = TestPki.create(dir).issueExpired("admin", Role.MANAGER);
    assertThatThrownBy(() -> ControlChannels.tls(certs))
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith("cannot use the TLS certificate for control: " + certs.resolve("cert.pem") + ": ")
        .hasMessageContaining("expired at");
  }
}
