package io.shoal.control.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void parsesAndPrintsBack() {
    Cidr c = Cidr.parse("10.0.9.0/24");

    assertThat(c.toString()).isEqualTo("10.0.9.0/24");
    assertThat(c.size()).isEqualTo(256);
    assertThat(Cidr.format(c.last())).isEqualTo("10.0.9.255");
    assertThat(Cidr.parse("255.255.255.255/32").toString()).isEqualTo("255.255.255.255/32");
    assertThat(Cidr.parse("0.0.0.0/0").size()).isEqualTo(1L << 32);
  }

  @Test
  void blocksOverlapWhenOneHoldsTheOther() {
    Cidr wide = Cidr.parse("10.0.0.0/16");

    assertThat(wide.overlaps(Cidr.parse("10.0.255.0/24"))).isTrue();
    assertThat(Cidr.parse("10.0.255.0/24").overlaps(wide)).isTrue();
    assertThat(wide.overlaps(Cidr.parse("10.1.0.0/24"))).isFalse();
    assertThat(Cidr.parse("10.0.0.0/25").overlaps(Cidr.parse("10.0.0.128/25"))).isFalse();
    assertThat(wide.contains(Cidr.parse("10.0.3.0/24"))).isTrue();
    assertThat(Cidr.parse("10.0.3.0/24").contains(wide)).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "10.0.9.1/24       | has host bits set: it should be 10.0.9.0/24",
      "10.0.9.0          | is not in CIDR notation",
      "10.0.9.0/33       | has no prefix length 0-32",
      "10.0.9.0/-1       | has no prefix length 0-32",
      "10.0.9.0/         | has no prefix length 0-32",
      "10.0.9/24         | is not an IP address",
      "web/24            | is not an IP address",
      "10.0.9.256/24     | is not an IP address",
      "fd00::/64         | is IPv6; only IPv4 networks are supported",
  })
  void refusesWhatIsNotAnIpv4Block(String text, String reason) {
    assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
  }
}
