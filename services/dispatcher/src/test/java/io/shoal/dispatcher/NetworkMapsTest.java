package io.shoal.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.Endpoint;
import io.shoal.api.v1.EndpointMode;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.EndpointVirtualIp;
import io.shoal.api.v1.IpamConfig;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.NetworkAttachment;
import io.shoal.api.v1.NetworkAttachmentConfig;
import io.shoal.api.v1.NetworkMap;
import io.shoal.api.v1.NetworkPeer;
import io.shoal.api.v1.NetworkSpec;
import io.shoal.api.v1.NetworkView;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.ServiceEndpoint;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a node is told of its tasks' networks, from the tables alone. */
class NetworkMapsTest {
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  private final Map<String, Network> networks = new HashMap<>();
  private final Map<String, ServiceStatus> statuses = new HashMap<>();
  private final Map<String, NodeRegistration> nodes = new HashMap<>();

  NetworkMapsTest() {
    network("neta", "front", "10.0.1.0/24", 4096);
    network("netb", "back", "10.0.2.0/24", 4097);
    node("n1", "192.168.0.1");
    node("n2", "192.168.0.2");
  }

  private void network(String id, String name, String subnet, int vxlanId) {
    String gateway = subnet.replace("0/24", "1");
    networks.put(id, Network.newBuilder().setId(id).setSpec(NetworkSpec.newBuilder().setName(name))
        .setIpam(IpamConfig.newBuilder().setSubnet(subnet).setGateway(gateway)).setVxlanId(vxlanId).build());
  }

  private void node(String id, String addr) {
    nodes.put(id, NodeRegistration.newBuilder().setId(id)
        .setDescription(NodeDescription.newBuilder().setAddr(addr)).build());
  }

  /** A task of {@code service} in {@code slot}, on {@code node} ("" for none), at {@code address} on {@code network}. */
  private Task.Builder task(String id, String service, long slot, String node, TaskState state, String network,
      String address) {
    return Task.newBuilder().setId(id).setServiceId(service).setServiceName(service + "-name").setSlot(slot)
        .setNodeId(node).setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(state))
        .setSpec(ServiceSpec.newBuilder().setName(service + "-name")
            .addNetworks(NetworkAttachmentConfig.newBuilder().setTarget(network)))
        .addNetworks(NetworkAttachment.newBuilder().setNetworkId(network).addAddresses(address + "/24"));
  }

  private Task put(Task.Builder task) {
    Task t = task.build();
    tasks.put(t.getId(), t);
    return t;
  }

  private NetworkMap mapOf(String nodeId) {
    return new NetworkMaps(tasks, networks, statuses, nodes).forNode(nodeId);
  }

  private static List<String> peerIds(NetworkView view) {
    return view.getPeersList().stream().map(NetworkPeer::getTaskId).toList();
  }

  @Test
  void aNodeSeesTheNetworksOfItsLiveTasksWithWhatControlAllocated() {
    put(task("t1", "web", 1, "n1", TaskState.TASK_STATE_RUNNING, "neta", "10.0.1.5"));

    NetworkMap map = mapOf("n1");

    assertThat(map.getNetworksList()).hasSize(1);
    NetworkView view = map.getNetworks(0);
    assertThat(view.getNetworkId()).isEqualTo("neta");
    assertThat(view.getName()).isEqualTo("front");
    assertThat(view.getSubnet()).isEqualTo("10.0.1.0/24");
    assertThat(view.getGateway()).isEqualTo("10.0.1.1");
    assertThat(view.getVxlanId()).isEqualTo(4096);
    assertThat(view.getPeersList()).containsExactly(NetworkPeer.newBuilder().setTaskId("t1").setAddress("10.0.1.5")
        .setNodeAddr("192.168.0.1").setNodeId("n1").build());
  }

  @Test
  void endedTasksAreNeitherPeersNorKeepTheirNetworkOnTheNode() {
    put(task("t1", "web", 1, "n1", TaskState.TASK_STATE_RUNNING, "neta", "10.0.1.5"));
    put(task("t2", "web", 2, "n2", TaskState.TASK_STATE_FAILED, "neta", "10.0.1.6"));
    put(task("t3", "db", 1, "n1", TaskState.TASK_STATE_COMPLETE, "netb", "10.0.2.5"));
    put(task("t4", "db", 2, "n1", TaskState.TASK_STATE_SHUTDOWN, "netb", "10.0.2.6")
        .setDesiredState(TaskState.TASK_STATE_SHUTDOWN));

    NetworkMap map = mapOf("n1");

    assertThat(map.getNetworksList()).extracting(NetworkView::getNetworkId).containsExactly("neta");
    assertThat(peerIds(map.getNetworks(0))).containsExactly("t1");
  }

  @Test
  void peersOnOtherNodesCarryTheirNodesAddressAndUnplacedOrUnknownOnesAreLeftOut() {
    put(task("t1", "web", 1, "n1", TaskState.TASK_STATE_STARTING, "neta", "10.0.1.5"));
    put(task("t2", "api", 1, "n2", TaskState.TASK_STATE_ASSIGNED, "neta", "10.0.1.6"));
    put(task("t3", "api", 2, "", TaskState.TASK_STATE_PENDING, "neta", "10.0.1.7"));
    put(task("t4", "api", 3, "gone", TaskState.TASK_STATE_RUNNING, "neta", "10.0.1.8"));

    NetworkView view = mapOf("n1").getNetworks(0);

    assertThat(view.getPeersList()).containsExactly(
        NetworkPeer.newBuilder().setTaskId("t1").setAddress("10.0.1.5").setNodeAddr("192.168.0.1").setNodeId("n1").build(),
        NetworkPeer.newBuilder().setTaskId("t2").setAddress("10.0.1.6").setNodeAddr("192.168.0.2").setNodeId("n2").build());
    // The unplaced task still names its service on the network.
    assertThat(view.getServicesList()).extracting(ServiceEndpoint::getName).containsExactly("api-name", "web-name");
  }

  @Test
  void aServiceCarriesItsVirtualIpWithoutPrefixAndDnsrrHasNone() {
    put(task("t1", "web", 1, "n1", TaskState.TASK_STATE_RUNNING, "neta", "10.0.1.5"));
    put(task("t2", "dns", 1, "n2", TaskState.TASK_STATE_RUNNING, "neta", "10.0.1.6")
        .setSpec(ServiceSpec.newBuilder().setName("dns-name")
            .setEndpoint(EndpointSpec.newBuilder().setMode(EndpointMode.ENDPOINT_MODE_DNSRR))));
    statuses.put("web", vips("web", "neta", "10.0.1.2/24", "netb", "10.0.2.2/24"));
    // Left over from when it was in VIP mode: not shown.
    statuses.put("dns", vips("dns", "neta", "10.0.1.3/24"));

    List<ServiceEndpoint> services = mapOf("n1").getNetworks(0).getServicesList();

    assertThat(services).containsExactly(
        ServiceEndpoint.newBuilder().setServiceId("dns").setName("dns-name").setMode(EndpointMode.ENDPOINT_MODE_DNSRR)
            .addTaskAddresses("10.0.1.6").build(),
        ServiceEndpoint.newBuilder().setServiceId("web").setName("web-name").setMode(EndpointMode.ENDPOINT_MODE_VIP)
            .setVirtualIp("10.0.1.2").addTaskAddresses("10.0.1.5").build());
  }

  @Test
  void aServiceWithoutAVirtualIpYetHasAnEmptyOne() {
    put(task("t1", "web", 1, "n1", TaskState.TASK_STATE_RUNNING, "neta", "10.0.1.5"));

    ServiceEndpoint web = mapOf("n1").getNetworks(0).getServices(0);

    assertThat(web.getMode()).isEqualTo(EndpointMode.ENDPOINT_MODE_VIP);
    assertThat(web.getVirtualIp()).isEmpty();
  }

  @Test
  void aTaskDesiredShutdownLeavesTaskAddressesAtOnceButStaysAPeer() {
    put(task("t1", "web", 1, "n1", TaskState.TASK_STATE_RUNNING, "neta", "10.0.1.5"));
    put(task("t2", "web", 2, "n2", TaskState.TASK_STATE_RUNNING, "neta", "10.0.1.6")
        .setDesiredState(TaskState.TASK_STATE_SHUTDOWN));
    put(task("t3", "web", 3, "n2", TaskState.TASK_STATE_STARTING, "neta", "10.0.1.7"));

    NetworkView view = mapOf("n1").getNetworks(0);

    assertThat(view.getServices(0).getTaskAddressesList()).containsExactly("10.0.1.5");
    assertThat(peerIds(view)).containsExactly("t1", "t2", "t3");
  }

  @Test
  void aNetworkWithoutTasksOfTheNodeIsAbsentAndOneMissingFromTheTableIsSkipped() {
    put(task("t1", "web", 1, "n1", TaskState.TASK_STATE_RUNNING, "neta", "10.0.1.5"));
    put(task("t2", "db", 1, "n2", TaskState.TASK_STATE_RUNNING, "netb", "10.0.2.5"));
    put(task("t3", "old", 1, "n1", TaskState.TASK_STATE_RUNNING, "netgone", "10.0.9.5"));

    assertThat(mapOf("n1").getNetworksList()).extracting(NetworkView::getNetworkId).containsExactly("neta");
    assertThat(mapOf("n2").getNetworksList()).extracting(NetworkView::getNetworkId).containsExactly("netb");
    assertThat(mapOf("n3")).isEqualTo(NetworkMap.getDefaultInstance());
  }

  @Test
  void theNewestTaskNamesTheServiceWithTheAliasesOfThisNetwork() {
    put(task("t1", "web", 1, "n1", TaskState.TASK_STATE_RUNNING, "neta", "10.0.1.5")
        .setCreateTime(Timestamp.newBuilder().setSeconds(100)));
    put(task("t2", "web", 2, "n2", TaskState.TASK_STATE_ASSIGNED, "neta", "10.0.1.6")
        .setCreateTime(Timestamp.newBuilder().setSeconds(200))
        .setSpec(ServiceSpec.newBuilder().setName("web-name")
            .addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("netb").addAliases("elsewhere"))
            .addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("neta").addAliases("www").addAliases("site"))
            .setEndpoint(EndpointSpec.newBuilder().setMode(EndpointMode.ENDPOINT_MODE_DNSRR))));

    ServiceEndpoint web = mapOf("n1").getNetworks(0).getServices(0);

    assertThat(web.getAliasesList()).containsExactly("www", "site");
    assertThat(web.getMode()).isEqualTo(EndpointMode.ENDPOINT_MODE_DNSRR);
    assertThat(web.getTaskAddressesList()).containsExactly("10.0.1.5");
  }

  @Test
  void theAttachmentsAliasesServeWhenTheSpecNamesNone() {
    put(task("t1", "web", 1, "n1", TaskState.TASK_STATE_RUNNING, "neta", "10.0.1.5")
        .setSpec(ServiceSpec.newBuilder().setName("web-name"))
        .setNetworks(0, NetworkAttachment.newBuilder().setNetworkId("neta").addAddresses("10.0.1.5/24")
            .addAliases("www")));

    assertThat(mapOf("n1").getNetworks(0).getServices(0).getAliasesList()).containsExactly("www");
  }

  @Test
  void equalTablesGiveEqualMapsInAFixedOrder() {
    List<Task> all = new ArrayList<>();
    all.add(task("t10", "web", 10, "n2", TaskState.TASK_STATE_RUNNING, "neta", "10.0.1.10").build());
    all.add(task("t2", "web", 2, "n2", TaskState.TASK_STATE_RUNNING, "neta", "10.0.1.2").build());
    all.add(task("t2b", "web", 2, "n1", TaskState.TASK_STATE_RUNNING, "neta", "10.0.1.3").build());
    all.add(task("u1", "api", 1, "n1", TaskState.TASK_STATE_RUNNING, "netb", "10.0.2.4").build());
    all.add(task("u2", "api", 1, "n1", TaskState.TASK_STATE_RUNNING, "neta", "10.0.1.4").build());
    all.forEach(t -> tasks.put(t.getId(), t));
    NetworkMap map = mapOf("n1");

    List<Task> reversed = new ArrayList<>(all);
    Collections.reverse(reversed);
    Map<String, Task> other = new LinkedHashMap<>();
    reversed.forEach(t -> other.put(t.getId(), t));
    assertThat(new NetworkMaps(other, networks, statuses, nodes).forNode("n1")).isEqualTo(map);

    assertThat(map.getNetworksList()).extracting(NetworkView::getNetworkId).containsExactly("neta", "netb");
    NetworkView front = map.getNetworks(0);
    assertThat(peerIds(front)).containsExactly("t10", "t2", "t2b", "u2");
    assertThat(front.getServicesList()).extracting(ServiceEndpoint::getName).containsExactly("api-name", "web-name");
    // Slot 2 (two tasks, by id) before slot 10.
    assertThat(front.getServices(1).getTaskAddressesList()).containsExactly("10.0.1.2", "10.0.1.3", "10.0.1.10");
  }

  /**
   * The bound written in DESIGN.md: the tasks a node's networks hold together, each a peer and a
   * serving address, at the longest (ids of 25 characters, node ids of 64, addresses of 15) fit
   * in one Session message up to about 28,000 (147 bytes each).
   */
  @Test
  void twentyEightThousandTasksWithTheLongestIdsFitOneMessageAndTwentyNineThousandDoNot() {
    String longNode = "n".repeat(64);
    node(longNode, "192.168.255.254");
    addTasks(longNode, 0, 28_000);

    NetworkMap map = mapOf(longNode);

    assertThat(map.getNetworks(0).getPeersCount()).isEqualTo(28_000);
    assertThat(SentNetworkMap.fits(map)).isTrue();
    addTasks(longNode, 28_000, 29_000);
    assertThat(SentNetworkMap.fits(mapOf(longNode))).isFalse();
  }

  private void addTasks(String node, int from, int to) {
    for (int i = from; i < to; i++) {
      String address = String.format("100.%d.%d.%d", 100 + i / 10_000, 100 + i / 100 % 100, 100 + i % 100);
      put(task(String.format("%025d", i), String.format("svc%022d", i / 100), i % 100 + 1, node,
          TaskState.TASK_STATE_RUNNING, "neta", address));
    }
  }

  private static ServiceStatus vips(String service, String... networkAndAddr) {
    Endpoint.Builder endpoint = Endpoint.newBuilder();
    for (int i = 0; i < networkAndAddr.length; i += 2) {
      endpoint.addVirtualIps(EndpointVirtualIp.newBuilder().setNetworkId(networkAndAddr[i]).setAddr(networkAndAddr[i + 1]));
    }
    return ServiceStatus.newBuilder().setServiceId(service).setEndpoint(endpoint).build();
  }
}
