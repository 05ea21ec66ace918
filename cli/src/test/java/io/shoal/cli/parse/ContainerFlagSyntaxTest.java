package io.shoal.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.Ulimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerFlagSyntaxTest {
  @ParameterizedTest
  @CsvSource({"db:10.1.2.3,10.1.2.3 db", "v6host:fd00::1,fd00::1 v6host"})
  void aHostBecomesAHostsLine(String flag, String line) {
    assertThat(ContainerFlagSyntax.hostLine(flag)).isEqualTo(line);
    assertThat(ContainerFlagSyntax.hostOfLine(line)).isEqualTo(flag.substring(0, flag.indexOf(':')));
  }

  @Test
  void aHostNeedsBothParts() {
    assertThatThrownBy(() -> ContainerFlagSyntax.hostLine("db")).hasMessageContaining("HOST:IP");
    assertThatThrownBy(() -> ContainerFlagSyntax.hostLine("db:")).hasMessageContaining("HOST:IP");
  }

  @ParameterizedTest
  @CsvSource({"net_admin,CAP_NET_ADMIN", "CAP_SYS_TIME,CAP_SYS_TIME", "all,ALL"})
  void capabilitiesAreNormalizedAsDockerDoes(String flag, String cap) {
    assertThat(ContainerFlagSyntax.capability(flag)).isEqualTo(cap);
  }

  @Test
  void aUlimitsHardLimitDefaultsToItsSoftOne() {
    assertThat(ContainerFlagSyntax.ulimit("nofile=1024:2048"))
        .isEqualTo(Ulimit.newBuilder().setName("nofile").setSoft(1024).setHard(2048).build());
    assertThat(ContainerFlagSyntax.ulimit("nproc=64"))
        .isEqualTo(Ulimit.newBuilder().setName("nproc").setSoft(64).setHard(64).build());
    assertThatThrownBy(() -> ContainerFlagSyntax.ulimit("nofile")).hasMessageContaining("NAME=SOFT[:HARD]");
    assertThatThrownBy(() -> ContainerFlagSyntax.ulimit("nofile=1:2:3")).hasMessageContaining("up to two");
    assertThatThrownBy(() -> ContainerFlagSyntax.ulimit("nofile=lots")).hasMessageContaining("numbers");
  }
}
