package io.shoal.control.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.IpamConfig;
import io.shoal.api.v1.NetworkSpec;
import io.shoal.common.errors.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkSpecValidatorTest {
  private static NetworkSpec.Builder named(String name) {
    return NetworkSpec.newBuilder().setName(name);
  }

  private static NetworkSpec withIpam(String subnet, String gateway, String range) {
    return named("net").setIpam(IpamConfig.newBuilder().setSubnet(subnet).setGateway(gateway).setIpRange(range)).build();
  }

  @Test
  void theDriverIsOverlayByDefault() {
    NetworkSpecValidator.Checked checked = NetworkSpecValidator.check(named("my-network").build());

    assertThat(checked.spec().getDriver()).isEqualTo("overlay");
    assertThat(checked.subnet()).isEmpty();
  }

  @Test
  void aGivenSubnetGetsItsFirstHostAsGateway() {
    NetworkSpecValidator.Checked checked = NetworkSpecValidator.check(withIpam("10.0.9.0/24", "", "10.0.9.128/25"));

    assertThat(checked.subnet()).contains(Cidr.parse("10.0.9.0/24"));
    assertThat(NetworkSpecValidator.allocated(checked.spec().getIpam(), checked.subnet().get()))
        .isEqualTo(IpamConfig.newBuilder().setSubnet("10.0.9.0/24").setGateway("10.0.9.1").setIpRange("10.0.9.128/25").build());
    assertThat(NetworkSpecValidator.allocated(IpamConfig.newBuilder().setGateway("10.0.9.254").build(), Cidr.parse("10.0.9.0/24"))
        .getGateway()).isEqualTo("10.0.9.254");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no name            |                | overlay |             |           |               | NetworkSpec.name: a network name must be provided",
      "bad name           | -net           | overlay |             |           |               | NetworkSpec.name: \"-net\" must match",
      "bridge driver      | net            | bridge  |             |           |               | NetworkSpec.driver: driver \"bridge\" is not supported",
      "subnet with host   | net            |         | 10.0.9.1/24 |           |               | NetworkSpec.ipam.subnet: \"10.0.9.1/24\" has host bits set: it should be 10.0.9.0/24",
      "IPv6 subnet        | net            |         | fd00::/64   |           |               | NetworkSpec.ipam.subnet: \"fd00::/64\" is IPv6",
      "subnet too large   | net            |         | 10.0.0.0/7  |           |               | NetworkSpec.ipam.subnet: 10.0.0.0/7 must be a /8 to a /29",
      "subnet too small   | net            |         | 10.0.0.0/30 |           |               | NetworkSpec.ipam.subnet: 10.0.0.0/30 must be a /8 to a /29",
      "gateway outside    | net            |         | 10.0.9.0/24 | 10.0.8.1  |               | NetworkSpec.ipam.gateway: 10.0.8.1 is not a host address of 10.0.9.0/24 (10.0.9.1-10.0.9.254)",
      "gateway broadcast  | net            |         | 10.0.9.0/24 | 10.0.9.255|               | NetworkSpec.ipam.gateway: 10.0.9.255 is not a host address",
      "gateway network    | net            |         | 10.0.9.0/24 | 10.0.9.0  |               | NetworkSpec.ipam.gateway: 10.0.9.0 is not a host address",
      "gateway not an IP  | net            |         | 10.0.9.0/24 | gw        |               | NetworkSpec.ipam.gateway: \"gw\" is not an IP address",
      "range outside      | net            |         | 10.0.9.0/24 |           | 10.0.8.0/25   | NetworkSpec.ipam.ip_range: 10.0.8.0/25 does not lie inside the subnet 10.0.9.0/24",
      "range larger       | net            |         | 10.0.9.0/24 |           | 10.0.8.0/23   | NetworkSpec.ipam.ip_range: 10.0.8.0/23 does not lie inside",
      "gateway, no subnet | net            |         |             | 10.0.9.1  |               | NetworkSpec.ipam.gateway: needs the subnet it lies in (--subnet)",
      "range, no subnet   | net            |         |             |           | 10.0.9.0/25   | NetworkSpec.ipam.ip_range: needs the subnet it lies in (--subnet)",
  })
  void refusesNamingTheField(String why, String name, String driver, String subnet, String gateway, String range,
      String message) {
    NetworkSpec spec = NetworkSpec.newBuilder().setName(name == null ? "" : name).setDriver(driver == null ? "" : driver)
        .setIpam(IpamConfig.newBuilder().setSubnet(subnet == null ? "" : subnet)
            .setGateway(gateway == null ? "" : gateway).setIpRange(range == null ? "" : range))
        .build();

    assertThatThrownBy(() -> NetworkSpecValidator.check(spec)).as(why)
        .isInstanceOf(InvalidArgumentException.class).hasMessageStartingWith(message);
  }

  @Test
  void attachableIsRefusedSayingToRunAService() {
    assertThatThrownBy(() -> NetworkSpecValidator.check(named("net").setAttachable(true).build()))
        .isInstanceOfSatisfying(InvalidArgumentException.class,
            e -> assertThat(e.field()).isEqualTo("NetworkSpec.attachable"))
        .hasMessage("NetworkSpec.attachable: plain containers (docker run --network) cannot join Shoal networks,"
            + " only service tasks can; run the workload as a service instead (shoal service create --network NAME)");
  }

  @Test
  void labelsKeepAServicesBounds() {
    assertThatThrownBy(() -> NetworkSpecValidator.check(named("net").putLabels("", "x").build()))
        .hasMessage("NetworkSpec.labels: a label key must not be empty");
    assertThatThrownBy(() -> NetworkSpecValidator.check(named("net").putLabels("k", "v".repeat(4097)).build()))
        .hasMessage("NetworkSpec.labels[k]: is 4097 characters long; the limit is 4096");
    assertThatThrownBy(() -> NetworkSpecValidator.check(named("net").setIpam(IpamConfig.newBuilder().setSubnet("1".repeat(1000))).build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("NetworkSpec.ipam.subnet: is 1000 characters long; the limit is 43");
  }
}
