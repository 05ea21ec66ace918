package io.shoal.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.dns.DnsRecordType;
import io.shoal.agent.discovery.NameTable.Addresses;
import io.shoal.agent.discovery.NameTable.Answer;
import io.shoal.agent.discovery.NameTable.Forward;
import io.shoal.api.v1.EndpointMode;
import io.shoal.api.v1.NetworkMap;
import io.shoal.api.v1.NetworkPeer;
import io.shoal.api.v1.NetworkView;
import io.shoal.api.v1.ServiceEndpoint;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NameTableTest {
  // front.1 is on both networks; back.1/back.2 on "back" only; other.1 on "other" only.
  private static final NetworkMap MAP = NetworkMap.newBuilder()
      .addNetworks(network("n-front", "10.0.1.0/24",
          List.of(peer("front.1", "10.0.1.5")),
          List.of(vip("s-front", "front", "10.0.1.2", List.of("10.0.1.5")),
              vip("s-api", "api", "10.0.1.3", List.of("10.0.1.9"), "gateway"))))
      .addNetworks(network("n-back", "10.0.2.0/24",
          List.of(peer("front.1", "10.0.2.5"), peer("back.1", "10.0.2.6"), peer("back.2", "10.0.2.7")),
          List.of(vip("s-api", "api", "10.0.2.3", List.of("10.0.2.9")),
              vip("s-back", "back", "10.0.2.2", List.of("10.0.2.6", "10.0.2.7"), "db"),
              dnsrr("s-rr", "rr", List.of("10.0.2.10", "10.0.2.11")))))
      .addNetworks(network("n-other", "10.0.3.0/24",
          List.of(peer("other.1", "10.0.3.5")),
          List.of(vip("s-hidden", "hidden", "10.0.3.2", List.of("10.0.3.5")))))
      .build();
  private static final NameTable TABLE = NameTable.of(MAP);

  @Test
  void aServiceNameResolvesToItsVirtualIpOnTheSharedNetwork() {
    assertThat(resolve("10.0.2.6", "back")).isEqualTo(addresses(false, "10.0.2.2"));
  }

  @Test
  void aTaskOnTwoNetworksGetsOneVirtualIpPerSharedNetworkInTheMapsOrder() {
    // api is on both networks, as is the asker, who may ask from either of its addresses.
    assertThat(resolve("10.0.1.5", "api")).isEqualTo(addresses(false, "10.0.1.3", "10.0.2.3"));
    assertThat(resolve("10.0.2.5", "api")).isEqualTo(addresses(false, "10.0.1.3", "10.0.2.3"));
    // back is only on the second: its address there, whichever address asks.
    assertThat(resolve("10.0.1.5", "back")).isEqualTo(addresses(false, "10.0.2.2"));
  }

  @Test
  void aDnsrrServiceResolvesToItsTaskAddresses() {
    assertThat(resolve("10.0.2.6", "rr")).isEqualTo(addresses(true, "10.0.2.10", "10.0.2.11"));
  }

  @Test
  void tasksNameResolvesToTheTaskAddressesInEitherMode() {
    assertThat(resolve("10.0.2.6", "tasks.back")).isEqualTo(addresses(true, "10.0.2.6", "10.0.2.7"));
    assertThat(resolve("10.0.2.6", "tasks.rr")).isEqualTo(addresses(true, "10.0.2.10", "10.0.2.11"));
    assertThat(resolve("10.0.1.5", "tasks.api")).isEqualTo(addresses(true, "10.0.1.9", "10.0.2.9"));
  }

  @Test
  void anAliasResolvesAsTheNameOnTheNetworkThatGivesIt() {
    assertThat(resolve("10.0.2.6", "db")).isEqualTo(addresses(false, "10.0.2.2"));
    assertThat(resolve("10.0.2.6", "tasks.db")).isEqualTo(addresses(true, "10.0.2.6", "10.0.2.7"));
    // "gateway" is api's alias on n-front only: back.1 is not on n-front.
    assertThat(resolve("10.0.1.5", "gateway")).isEqualTo(addresses(false, "10.0.1.3"));
    assertThat(resolve("10.0.2.6", "gateway")).isEqualTo(Forward.FORWARD);
  }

  @ParameterizedTest
  @ValueSource(strings = {"back", "back.", "BACK", "Back.", "tasks.back", "TASKS.Back."})
  void namesAreCaseInsensitiveAndMayEndWithADot(String name) {
    assertThat(resolve("10.0.2.7", name)).isInstanceOf(Addresses.class);
    assertThat(((Addresses) resolve("10.0.2.7", name)).addresses()).isNotEmpty();
  }

  @Test
  void anAddressTheMapDoesNotKnowHasEveryNameForwarded() {
    assertThat(resolve("10.0.2.200", "back")).isEqualTo(Forward.FORWARD);
    assertThat(resolve("192.168.1.1", "tasks.back")).isEqualTo(Forward.FORWARD);
    assertThat(TABLE.resolve(InetAddress.getLoopbackAddress(), "back", DnsRecordType.A))
        .isEqualTo(Forward.FORWARD);
    assertThat(NameTable.EMPTY.resolve(ip("10.0.2.6"), "back", DnsRecordType.A))
        .isEqualTo(Forward.FORWARD);
  }

  @Test
  void anIpv6ClientHasEveryNameForwarded() throws Exception {
    assertThat(TABLE.resolve(InetAddress.getByName("::1"), "back", DnsRecordType.A))
        .isEqualTo(Forward.FORWARD);
  }

  @Test
  void aServiceOnlyOnNetworksTheTaskIsNotOnIsNotResolved() {
    assertThat(resolve("10.0.2.6", "hidden")).isEqualTo(Forward.FORWARD);
    assertThat(resolve("10.0.2.6", "tasks.hidden")).isEqualTo(Forward.FORWARD);
    assertThat(resolve("10.0.2.6", "front")).isEqualTo(Forward.FORWARD);
    // ...while a task on its network does resolve it.
    assertThat(resolve("10.0.3.5", "hidden")).isEqualTo(addresses(false, "10.0.3.2"));
  }

  @Test
  void otherNamesAreForwarded() {
    assertThat(resolve("10.0.2.6", "example.com")).isEqualTo(Forward.FORWARD);
    assertThat(resolve("10.0.2.6", "back.example.com")).isEqualTo(Forward.FORWARD);
    assertThat(resolve("10.0.2.6", "tasks.")).isEqualTo(Forward.FORWARD);
    assertThat(resolve("10.0.2.6", ".")).isEqualTo(Forward.FORWARD);
  }

  @ParameterizedTest
  @ValueSource(strings = {"AAAA", "MX", "TXT", "SRV"})
  void aClusterNameHasNoAnswerOfAnotherTypeAndIsNeverForwarded(String type) {
    DnsRecordType t = DnsRecordType.valueOf(type);
    assertThat(TABLE.resolve(ip("10.0.2.6"), "back", t)).isEqualTo(addresses(false));
    assertThat(TABLE.resolve(ip("10.0.2.6"), "tasks.rr", t)).isEqualTo(addresses(false));
  }

  @Test
  void aClusterNameWithNoAddressYetHasNoAnswer() {
    NameTable table = NameTable.of(NetworkMap.newBuilder()
        .addNetworks(network("n", "10.0.4.0/24", List.of(peer("a.1", "10.0.4.5")),
            List.of(vip("s-new", "new", "", List.of()), dnsrr("s-rr", "rr", List.of()))))
        .build());
    assertThat(table.resolve(ip("10.0.4.5"), "new", DnsRecordType.A)).isEqualTo(addresses(false));
    assertThat(table.resolve(ip("10.0.4.5"), "tasks.new", DnsRecordType.A)).isEqualTo(addresses(true));
    assertThat(table.resolve(ip("10.0.4.5"), "rr", DnsRecordType.A)).isEqualTo(addresses(true));
  }

  @Test
  void aPlainNameWinsOverTheTasksForm() {
    NameTable table = NameTable.of(NetworkMap.newBuilder()
        .addNetworks(network("n", "10.0.4.0/24", List.of(peer("a.1", "10.0.4.5")),
            List.of(vip("s-x", "x", "10.0.4.2", List.of("10.0.4.5")),
                vip("s-tx", "tasks.x", "10.0.4.3", List.of()))))
        .build());
    assertThat(table.resolve(ip("10.0.4.5"), "tasks.x", DnsRecordType.A))
        .isEqualTo(addresses(false, "10.0.4.3"));
  }

  @Test
  void aPeerOutsideItsNetworksSubnetAsksForNothing() {
    NameTable table = NameTable.of(NetworkMap.newBuilder()
        .addNetworks(network("n", "10.0.4.0/24", List.of(peer("a.1", "10.0.5.5")),
            List.of(vip("s-x", "x", "10.0.4.2", List.of()))))
        .build());
    assertThat(table.resolve(ip("10.0.5.5"), "x", DnsRecordType.A)).isEqualTo(Forward.FORWARD);
  }

  @Test
  void twoServicesSharingAnAliasBothAnswer() {
    NameTable table = NameTable.of(NetworkMap.newBuilder()
        .addNetworks(network("n", "10.0.4.0/24", List.of(peer("a.1", "10.0.4.5")),
            List.of(vip("s-x", "x", "10.0.4.2", List.of(), "shared"),
                vip("s-y", "y", "10.0.4.3", List.of(), "shared"))))
        .build());
    assertThat(table.resolve(ip("10.0.4.5"), "shared", DnsRecordType.A))
        .isEqualTo(addresses(false, "10.0.4.2", "10.0.4.3"));
  }

  private static Answer resolve(String client, String name) {
    return TABLE.resolve(ip(client), name, DnsRecordType.A);
  }

  private static Addresses addresses(boolean spread, String... addresses) {
    return new Addresses(List.of(addresses).stream().map(NameTable::ipv4).toList(), spread);
  }

  private static InetAddress ip(String literal) {
    return NameTable.ipv4(literal);
  }

  static NetworkView network(String id, String subnet, List<NetworkPeer> peers,
      List<ServiceEndpoint> services) {
    return NetworkView.newBuilder().setNetworkId(id).setName(id).setSubnet(subnet)
        .setGateway(subnet.replace(".0/24", ".1")).setVxlanId(4096)
        .addAllPeers(peers).addAllServices(services).build();
  }

  static NetworkPeer peer(String taskId, String address) {
    return NetworkPeer.newBuilder().setTaskId(taskId).setAddress(address)
        .setNodeAddr("192.168.0.10").setNodeId("node-1").build();
  }

  static ServiceEndpoint vip(String id, String name, String vip, List<String> tasks,
      String... aliases) {
    return ServiceEndpoint.newBuilder().setServiceId(id).setName(name)
        .addAllAliases(List.of(aliases)).setMode(EndpointMode.ENDPOINT_MODE_VIP)
        .setVirtualIp(vip).addAllTaskAddresses(tasks).build();
  }

  static ServiceEndpoint dnsrr(String id, String name, List<String> tasks) {
    return ServiceEndpoint.newBuilder().setServiceId(id).setName(name)
        .setMode(EndpointMode.ENDPOINT_MODE_DNSRR).addAllTaskAddresses(tasks).build();
  }
}
