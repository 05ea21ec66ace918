package io.shoal.control.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SubnetAllocatorTest {
  private static final SubnetAllocator SWARM = new SubnetAllocator(NetworkConfig.DEFAULT);

  private static List<Cidr> cidrs(String... texts) {
    return Stream.of(texts).map(Cidr::parse).toList();
  }

  @Test
  void carvesTheLowestFreeBlockOfThePool() {
    assertThat(SWARM.allocate(Set.of())).hasToString("10.0.0.0/24");
    assertThat(SWARM.allocate(cidrs("10.0.0.0/24", "10.0.2.0/24"))).hasToString("10.0.1.0/24");
  }

  @Test
  void stepsOverLargerAndSmallerNetworksInTheWay() {
    assertThat(SWARM.allocate(cidrs("10.0.0.0/16"))).hasToString("10.1.0.0/24");
    // A /29 inside the first /24 spoils the whole block.
    assertThat(SWARM.allocate(cidrs("10.0.0.64/29"))).hasToString("10.0.1.0/24");
  }

  @Test
  void skipsReservedRanges() {
    SubnetAllocator lab = new SubnetAllocator(new NetworkConfig(Cidr.parse("10.231.0.0/16"), 24,
        cidrs("10.231.0.0/24", "10.231.1.0/25")));

    assertThat(lab.allocate(Set.of())).hasToString("10.231.2.0/24");
  }

  @Test
  void carvesBlocksOfTheConfiguredSize() {
    SubnetAllocator small = new SubnetAllocator(new NetworkConfig(Cidr.parse("192.168.0.0/16"), 28, List.of()));

    assertThat(small.allocate(cidrs("192.168.0.0/28"))).hasToString("192.168.0.16/28");
  }

  @Test
  void anExhaustedPoolSaysSoAndHowToGoOn() {
    SubnetAllocator tiny = new SubnetAllocator(new NetworkConfig(Cidr.parse("10.9.0.0/23"), 24, List.of()));
    List<Cidr> taken = new ArrayList<>();
    taken.add(tiny.allocate(taken));
    taken.add(tiny.allocate(taken));

    assertThat(taken).containsExactlyElementsOf(cidrs("10.9.0.0/24", "10.9.1.0/24"));
    assertThatThrownBy(() -> tiny.allocate(taken))
        .isInstanceOfSatisfying(ShoalException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED))
        .hasMessage("the default address pool 10.9.0.0/23 has no free /24 left (2 networks; reserved: []);"
            + " give the network a --subnet, or remove a network");
  }

  @Test
  void aReleasedBlockIsGivenOutAgain() {
    List<Cidr> taken = new ArrayList<>(cidrs("10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"));
    taken.remove(Cidr.parse("10.0.1.0/24"));

    assertThat(SWARM.allocate(taken)).hasToString("10.0.1.0/24");
  }

  @Test
  void aGivenSubnetOverlappingANetworkNamesBoth() {
    assertThatThrownBy(() -> SWARM.checkGiven(Cidr.parse("10.0.0.0/16"), cidrs("10.1.0.0/24", "10.0.4.0/24"),
        c -> "network web"))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("NetworkSpec.ipam.subnet"))
        .hasMessage("NetworkSpec.ipam.subnet: 10.0.0.0/16 overlaps 10.0.4.0/24 of network web");
    assertThatThrownBy(() -> SWARM.checkGiven(Cidr.parse("10.0.4.128/25"), cidrs("10.0.4.0/24"), c -> "network web"))
        .hasMessageContaining("10.0.4.128/25 overlaps 10.0.4.0/24 of network web");
  }

  @Test
  void aGivenSubnetOverlappingAReservedRangeNamesBoth() {
    assertThatThrownBy(() -> SWARM.checkGiven(Cidr.parse("172.16.0.0/12"), Set.of(), c -> "?"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("NetworkSpec.ipam.subnet: 172.16.0.0/12 overlaps the reserved range 172.17.0.0/16");
  }

  @Test
  void aGivenSubnetBesideOthersIsFine() {
    SWARM.checkGiven(Cidr.parse("10.0.5.0/24"), cidrs("10.0.4.0/24", "10.0.6.0/23"), c -> "?");
    SWARM.checkGiven(Cidr.parse("192.168.7.0/24"), cidrs("10.0.0.0/8"), c -> "?");
  }

  @Test
  void aPoolSizeOutsideThePoolIsRefused() {
    assertThatThrownBy(() -> new NetworkConfig(Cidr.parse("10.0.0.0/16"), 8, List.of()))
        .hasMessageContaining("the pool size /8 must lie between the pool's own /16 and /29");
    assertThatThrownBy(() -> new NetworkConfig(Cidr.parse("10.0.0.0/16"), 30, List.of()))
        .hasMessageContaining("/30");
  }
}
