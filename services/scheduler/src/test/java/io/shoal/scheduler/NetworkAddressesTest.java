package io.shoal.scheduler;

import static io.shoal.scheduler.Fixtures.nodes;
import static io.shoal.scheduler.Fixtures.ready;
import static io.shoal.scheduler.Fixtures.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.EndpointMode;
import io.shoal.api.v1.EndpointVirtualIp;
import io.shoal.api.v1.IpamConfig;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.NetworkAttachmentConfig;
import io.shoal.api.v1.NetworkSpec;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reconciler gives services and tasks their addresses before placement. */
class NetworkAddressesTest {
  private final Reconciler reconciler = Fixtures.reconciler(Clock.systemUTC(), 5);

  static Network network(String id, String name, String subnet) {
    return Network.newBuilder().setId(id).setSpec(NetworkSpec.newBuilder().setName(name))
        .setIpam(IpamConfig.newBuilder().setSubnet(subnet).setGateway(subnet.replaceFirst("\\.0/", ".1/")
            .replaceFirst("/.*", ""))).build();
  }

  static Service onNetwork(Service s, String networkId, String... aliases) {
    return s.toBuilder().setSpec(s.getSpec().toBuilder().addNetworks(NetworkAttachmentConfig.newBuilder()
        .setTarget(networkId).addAllAliases(List.of(aliases)))).build();
  }

  private Plan reconcile(Service service, Network network) {
    ClusterView plain = view(List.of(service), List.of(), nodes(ready("n1"), ready("n2")));
    return reconciler.reconcile(new ClusterView(plain.services(), plain.tasks(), plain.nodes(),
        Map.of(network.getId(), network), Set.of()));
  }

  @Test
  void aServiceGetsAVirtualIpAndEachTaskItsOwnAddressBeforeItIsPlaced() {
    Plan plan = reconcile(onNetwork(Fixtures.service("web", 3), "net1", "www"), network("net1", "front", "10.0.0.0/24"));

    assertThat(plan.serviceUpdates()).singleElement().satisfies(s -> assertThat(s.getEndpoint().getVirtualIpsList())
        .containsExactly(EndpointVirtualIp.newBuilder().setNetworkId("net1").setAddr("10.0.0.2/24").build()));
    assertThat(plan.creates()).hasSize(3).allSatisfy(t -> {
      assertThat(t.getStatus().getState()).isEqualTo(TaskState.TASK_STATE_ASSIGNED);
      assertThat(t.getNetworksList()).singleElement().satisfies(a -> {
        assertThat(a.getNetworkId()).isEqualTo("net1");
        assertThat(a.getAliasesList()).containsExactly("www");
      });
    });
    assertThat(plan.creates()).extracting(t -> t.getNetworks(0).getAddresses(0))
        .containsExactlyInAnyOrder("10.0.0.3/24", "10.0.0.4/24", "10.0.0.5/24");
  }

  @Test
  void tasksThatFindNoAddressStayPendingWithSwarmsReason() {
    // A /29 with its gateway: five addresses, one the virtual IP's.
    Plan plan = reconcile(onNetwork(Fixtures.service("web", 6), "net1"), network("net1", "small", "10.0.1.0/29"));

    List<Task> pending = plan.creates().stream()
        .filter(t -> t.getStatus().getState() == TaskState.TASK_STATE_PENDING).toList();
    assertThat(pending).hasSize(2).allSatisfy(t -> {
      assertThat(t.getStatus().getErr()).isEqualTo("no IP address available on network small");
      assertThat(t.getNodeId()).isEmpty();
      assertThat(t.getNetworksList()).isEmpty();
    });
    assertThat(plan.creates()).filteredOn(t -> t.getStatus().getState() == TaskState.TASK_STATE_ASSIGNED).hasSize(4);
  }

  @Test
  void aServiceOnNoNetworkGetsNoEndpoint() {
    Plan plan = reconcile(Fixtures.service("web", 2), network("net1", "front", "10.0.0.0/24"));

    assertThat(plan.serviceUpdates()).isEmpty();
    assertThat(plan.creates()).hasSize(2).allSatisfy(t -> assertThat(t.getNetworksList()).isEmpty());
  }

  @Test
  void aServiceThatLeftANetworkDropsItsVirtualIpThere() {
    io.shoal.api.v1.Endpoint onNet1 = io.shoal.api.v1.Endpoint.newBuilder()
        .addVirtualIps(EndpointVirtualIp.newBuilder().setNetworkId("net1").setAddr("10.0.0.2/24")).build();
    Service left = Fixtures.service("web", 0).toBuilder().setEndpoint(onNet1).build();

    Plan plan = reconcile(left, network("net1", "front", "10.0.0.0/24"));

    // Written as the scheduler's status, whose write releases what the old one held.
    assertThat(plan.serviceUpdates()).singleElement()
        .satisfies(s -> assertThat(s.getEndpoint().getVirtualIpsList()).isEmpty());
  }

  /** Two running tasks of {@code v1}, and {@code v2} as control stores it after an update. */
  private Plan update(Service v1, Service v2) {
    Service updated = v2.toBuilder().setPreviousSpec(v1.getSpec()).build();
    List<Task> running = List.of(
        Fixtures.task("t1", v1, 1, "n1", TaskState.TASK_STATE_RUNNING, 1),
        Fixtures.task("t2", v1, 2, "n2", TaskState.TASK_STATE_RUNNING, 1));
    ClusterView plain = view(List.of(updated), running, nodes(ready("n1"), ready("n2")));
    return reconciler.reconcile(new ClusterView(plain.services(), plain.tasks(), plain.nodes(),
        Map.of("net1", network("net1", "front", "10.0.0.0/24"), "net2", network("net2", "back", "10.0.1.0/24")),
        Set.of()));
  }

  private static void assertRolls(Plan plan) {
    assertThat(plan.updates()).isNotEmpty()
        .allSatisfy(t -> assertThat(t.getDesiredState()).isEqualTo(TaskState.TASK_STATE_SHUTDOWN));
    assertThat(plan.serviceUpdates()).anySatisfy(s -> assertThat(s.getUpdateStatus().getState())
        .isEqualTo(io.shoal.api.v1.UpdateState.UPDATE_STATE_UPDATING));
  }

  @Test
  void networkAddRollsTheTasks() {
    Service v1 = onNetwork(Fixtures.service("web", 2), "net1");

    assertRolls(update(v1, onNetwork(v1, "net2")));
  }

  @Test
  void networkRmRollsTheTasks() {
    Service v1 = onNetwork(onNetwork(Fixtures.service("web", 2), "net1"), "net2");
    Service v2 = v1.toBuilder().setSpec(v1.getSpec().toBuilder().removeNetworks(1)).build();

    assertRolls(update(v1, v2));
  }

  @Test
  void aNewAliasRollsTheTasksAsSwarmsDo() {
    Service v1 = onNetwork(Fixtures.service("web", 2), "net1");

    assertRolls(update(v1, onNetwork(Fixtures.service("web", 2), "net1", "www")));
  }

  @Test
  void theSameNetworksLeaveTheTasksAlone() {
    Service v1 = onNetwork(Fixtures.service("web", 2), "net1", "www");
    Service v2 = v1.toBuilder().setSpec(v1.getSpec().toBuilder().putLabels("tier", "front")).build();

    assertThat(update(v1, v2).updates()).isEmpty();
  }

  static Service withMode(Service s, EndpointMode mode) {
    return s.toBuilder().setSpec(s.getSpec().toBuilder().setEndpoint(s.getSpec().getEndpoint().toBuilder().setMode(mode)))
        .build();
  }

  @Test
  void aDnsrrServiceGetsNoVirtualIpButItsTasksGetAddresses() {
    Plan plan = reconcile(withMode(onNetwork(Fixtures.service("web", 2), "net1"), EndpointMode.ENDPOINT_MODE_DNSRR),
        network("net1", "front", "10.0.0.0/24"));

    assertThat(plan.serviceUpdates()).isEmpty();
    assertThat(plan.creates()).extracting(t -> t.getNetworks(0).getAddresses(0))
        .containsExactlyInAnyOrder("10.0.0.2/24", "10.0.0.3/24");
  }

  @Test
  void aServiceTurnedDnsrrDropsItsVirtualIpsAndOneTurnedVipGetsThem() {
    io.shoal.api.v1.Endpoint onNet1 = io.shoal.api.v1.Endpoint.newBuilder()
        .addVirtualIps(EndpointVirtualIp.newBuilder().setNetworkId("net1").setAddr("10.0.0.2/24")).build();
    Service vip = onNetwork(Fixtures.service("web", 0), "net1").toBuilder().setEndpoint(onNet1).build();

    Plan toDnsrr = reconcile(withMode(vip, EndpointMode.ENDPOINT_MODE_DNSRR), network("net1", "front", "10.0.0.0/24"));
    assertThat(toDnsrr.serviceUpdates()).singleElement()
        .satisfies(s -> assertThat(s.getEndpoint().getVirtualIpsList()).isEmpty());

    Service dnsrr = withMode(onNetwork(Fixtures.service("web", 0), "net1"), EndpointMode.ENDPOINT_MODE_DNSRR);
    Plan toVip = reconcile(withMode(dnsrr, EndpointMode.ENDPOINT_MODE_VIP), network("net1", "front", "10.0.0.0/24"));
    assertThat(toVip.serviceUpdates()).singleElement()
        .satisfies(s -> assertThat(s.getEndpoint().getVirtualIpsList()).isEqualTo(onNet1.getVirtualIpsList()));
  }

  @Test
  void changingTheEndpointModeLeavesTheTasksAlone() {
    Service v1 = onNetwork(Fixtures.service("web", 2), "net1");

    assertThat(update(v1, withMode(v1, EndpointMode.ENDPOINT_MODE_DNSRR)).updates()).isEmpty();
  }
}
