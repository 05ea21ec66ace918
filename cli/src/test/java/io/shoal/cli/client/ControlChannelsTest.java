package io.shoal.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the CLI finds its certificate. */
class ControlChannelsTest {
  @Test
  void theCertPathIsShoalCertPathElseTheXdgConfigDirElseHomesConfig() {
    assertThat(ControlChannels.certPath(Map.of("SHOAL_CERT_PATH", "/certs", "XDG_CONFIG_HOME", "/xdg")))
        .isEqualTo(Path.of("/certs"));
    assertThat(ControlChannels.certPath(Map.of("XDG_CONFIG_HOME", "/xdg", "HOME", "/home/u")))
        .isEqualTo(Path.of("/xdg/shoal/certs"));
    assertThat(ControlChannels.certPath(Map.of("HOME", "/home/u"))).isEqualTo(Path.of("/home/u/.config/shoal/certs"));
  }
}
