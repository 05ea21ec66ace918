package io.shoal.scheduler.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.IpamConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressPoolTest {
  private static IpamConfig ipam(String subnet, String gateway, String range) {
    return IpamConfig.newBuilder().setSubnet(subnet).setGateway(gateway).setIpRange(range).build();
  }

  private static List<String> drain(AddressPool pool) {
    List<String> all = new ArrayList<>();
    for (Optional<String> a = pool.allocate(); a.isPresent(); a = pool.allocate()) {
      all.add(a.get());
    }
    return all;
  }

  @Test
  void handsOutTheLowestFreeAddressSkippingTheNetworkTheGatewayAndTheBroadcast() {
    AddressPool pool = new AddressPool(ipam("10.0.9.0/29", "10.0.9.1", ""));

    assertThat(drain(pool)).containsExactly("10.0.9.2/29", "10.0.9.3/29", "10.0.9.4/29", "10.0.9.5/29", "10.0.9.6/29");
  }

  @Test
  void aGatewayElsewhereInTheSubnetIsSkippedWhereItIs() {
    AddressPool pool = new AddressPool(ipam("10.0.9.0/29", "10.0.9.4", ""));

    assertThat(drain(pool)).containsExactly("10.0.9.1/29", "10.0.9.2/29", "10.0.9.3/29", "10.0.9.5/29", "10.0.9.6/29");
  }

  @Test
  void anExhaustedPoolGivesNothingUntilAnAddressIsReleased() {
    AddressPool pool = new AddressPool(ipam("10.0.9.0/30", "10.0.9.1", ""));
    assertThat(pool.allocate()).contains("10.0.9.2/30");
    assertThat(pool.allocate()).isEmpty();

    pool.release("10.0.9.2/30");

    assertThat(pool.used("10.0.9.2/30")).isFalse();
    assertThat(pool.allocate()).contains("10.0.9.2/30");
  }

  @Test
  void addressesInUseAreSkippedAndAReleasedOneIsTheNextGiven() {
    AddressPool pool = new AddressPool(ipam("10.0.0.0/24", "10.0.0.1", ""));
    pool.markUsed("10.0.0.2/24");
    pool.markUsed("10.0.0.3/24");
    assertThat(pool.allocate()).contains("10.0.0.4/24");

    pool.release("10.0.0.2/24");

    assertThat(pool.allocate()).contains("10.0.0.2/24");
  }

  @Test
  void theIpRangeBoundsWhatIsHandedOutAndTheSubnetGivesThePrefix() {
    AddressPool pool = new AddressPool(ipam("10.0.0.0/24", "10.0.0.1", "10.0.0.128/30"));
    pool.markUsed("10.0.0.7/24"); // outside the range: not ours, ignored

    assertThat(drain(pool)).containsExactly("10.0.0.128/24", "10.0.0.129/24", "10.0.0.130/24", "10.0.0.131/24");
  }

  @Test
  void aRangeThatHoldsTheGatewayOrTheBroadcastSkipsThem() {
    AddressPool pool = new AddressPool(ipam("10.0.0.0/24", "10.0.0.253", "10.0.0.252/30"));

    assertThat(drain(pool)).containsExactly("10.0.0.252/24", "10.0.0.254/24");
  }

  @Test
  void aRangeOutsideTheSubnetOrAnAddressThatIsNotIpv4IsRefused() {
    assertThatThrownBy(() -> new AddressPool(ipam("10.0.0.0/24", "", "10.0.1.0/28")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside subnet");
    assertThatThrownBy(() -> new AddressPool(ipam("fd00::/64", "", "")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLargeNetworkCostsWhatItsAddressesInUseCost() {
    AddressPool pool = new AddressPool(ipam("10.0.0.0/8", "10.0.0.1", ""));
    pool.markUsed("10.0.0.2/8");

    assertThat(pool.allocate()).contains("10.0.0.3/8");
    pool.release("10.0.0.2/8");
    assertThat(pool.allocate()).contains("10.0.0.2/8");
    assertThat(pool.allocate()).contains("10.0.0.4/8");
  }
}
