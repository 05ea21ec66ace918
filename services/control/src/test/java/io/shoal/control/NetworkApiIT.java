package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateNetworkRequest;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.DeleteNetworkRequest;
import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.EndpointMode;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.GetNetworkRequest;
import io.shoal.api.v1.IpamConfig;
import io.shoal.api.v1.ListNetworksRequest;
import io.shoal.api.v1.ListNetworksResponse;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.NetworkAttachmentConfig;
import io.shoal.api.v1.NetworkSpec;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Index;
import io.shoal.common.store.Tables;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The network RPCs and services on networks, on a real etcd: names unique, subnets from the
 * default pool (10.0.0.0/8 in /24s, Docker's bridge reserved) or given and checked, removal
 * refused while a service uses the network.
 */
class NetworkApiIT {
  private static final Index VXLAN_IDS = new Index("allocator/vxlan_ids");
  @RegisterExtension final InProcessControl cluster = new InProcessControl();
  private final EtcdStore store = cluster.store;
  private final ControlServiceGrpc.ControlServiceBlockingStub control = cluster.stub;

  private Network create(String name) {
    return create(NetworkSpec.newBuilder().setName(name).build());
  }

  private Network create(NetworkSpec spec) {
    return control.createNetwork(CreateNetworkRequest.newBuilder().setSpec(spec).build()).getNetwork();
  }

  private static NetworkSpec withSubnet(String name, String subnet) {
    return NetworkSpec.newBuilder().setName(name).setIpam(IpamConfig.newBuilder().setSubnet(subnet)).build();
  }

  private Network get(String reference) {
    return control.getNetwork(GetNetworkRequest.newBuilder().setNetwork(reference).build()).getNetwork();
  }

  private void delete(String reference) {
    control.deleteNetwork(DeleteNetworkRequest.newBuilder().setNetwork(reference).build());
  }

  private static ServiceSpec service(String name, String... networks) {
    ServiceSpec.Builder spec = ServiceSpec.newBuilder().setName(name)
        .setContainer(ContainerSpec.newBuilder().setImage("busybox:1"));
    for (String network : networks) {
      spec.addNetworks(NetworkAttachmentConfig.newBuilder().setTarget(network));
    }
    return spec.build();
  }

  private Service createService(ServiceSpec spec) {
    return control.createService(CreateServiceRequest.newBuilder().setSpec(spec).setNoResolveImage(true).build())
        .getService();
  }

  private Service update(Service s, ServiceSpec spec) {
    return control.updateService(UpdateServiceRequest.newBuilder().setServiceId(s.getId())
        .setVersion(s.getVersion()).setSpec(spec).setNoResolveImage(true).build()).getService();
  }

  private static void assertStatus(Runnable call, Status.Code code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).isEqualTo(message);
    });
  }

  @Test
  void aNetworkWithoutSubnetGetsTheNextBlockOfThePool() {
    Network first = create("my-network");
    Network second = create("other");

    assertThat(first.getSpec().getDriver()).isEqualTo("overlay");
    assertThat(first.getIpam()).isEqualTo(IpamConfig.newBuilder().setSubnet("10.0.0.0/24").setGateway("10.0.0.1").build());
    assertThat(second.getIpam().getSubnet()).isEqualTo("10.0.1.0/24");
    assertThat(first.getId()).hasSize(25);
    assertThat(first.hasCreateTime()).isTrue();
    assertThat(store.get(Tables.NETWORKS, first.getId())).contains(first);
    assertThat(store.owner(Tables.NETWORK_NAMES, "my-network")).contains(first.getId());
    assertThat(store.owner(Tables.SUBNETS, "10.0.0.0/24")).contains(first.getId());
  }

  @Test
  void aGivenSubnetIsKeptWithItsGatewayAndRange() {
    Network n = create(NetworkSpec.newBuilder().setName("given").setDriver("overlay").setInternal(true)
        .putLabels("team", "a")
        .setIpam(IpamConfig.newBuilder().setSubnet("192.168.40.0/24").setGateway("192.168.40.254").setIpRange("192.168.40.128/25"))
        .build());

    assertThat(n.getIpam()).isEqualTo(IpamConfig.newBuilder().setSubnet("192.168.40.0/24").setGateway("192.168.40.254")
        .setIpRange("192.168.40.128/25").build());
    assertThat(n.getSpec().getInternal()).isTrue();
    assertThat(get("given").getSpec().getLabelsMap()).containsEntry("team", "a");
  }

  @Test
  void namesAreUnique() {
    create("dup");

    assertStatus(() -> create("dup"), Status.Code.ALREADY_EXISTS, "network dup already exists");
    assertThat(store.keys(Tables.SUBNETS)).containsExactly("10.0.0.0/24");
  }

  @Test
  void aSubnetOverlappingAnotherNetworkIsRefusedNamingBoth() {
    create(withSubnet("web-net", "10.20.0.0/16"));

    assertThatThrownBy(() -> create(withSubnet("inner", "10.20.3.0/24")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription())
              .isEqualTo("NetworkSpec.ipam.subnet: 10.20.3.0/24 overlaps 10.20.0.0/16 of network web-net");
          assertThat(fieldViolation(e)).isEqualTo("NetworkSpec.ipam.subnet");
        });
    assertStatus(() -> create(withSubnet("outer", "10.0.0.0/8")), Status.Code.INVALID_ARGUMENT,
        "NetworkSpec.ipam.subnet: 10.0.0.0/8 overlaps 10.20.0.0/16 of network web-net");
    // The pool steps over it too.
    create(withSubnet("at-pool-start", "10.0.0.0/23"));
    assertThat(create("pooled").getIpam().getSubnet()).isEqualTo("10.0.2.0/24");
  }

  @Test
  void aSubnetOverlappingAReservedRangeIsRefusedNamingBoth() {
    assertStatus(() -> create(withSubnet("docker", "172.17.5.0/24")), Status.Code.INVALID_ARGUMENT,
        "NetworkSpec.ipam.subnet: 172.17.5.0/24 overlaps the reserved range 172.17.0.0/16"
            + " (control's --reserved-subnet: the hosts' own network or Docker's bridge)");
  }

  @Test
  void badSpecsAreInvalidArguments() {
    assertStatus(() -> create(NetworkSpec.newBuilder().setName("b").setDriver("bridge").build()), Status.Code.INVALID_ARGUMENT,
        "NetworkSpec.driver: driver \"bridge\" is not supported; Shoal's networks span the cluster, so the driver is overlay");
    assertStatus(() -> create(withSubnet("h", "10.1.1.1/24")), Status.Code.INVALID_ARGUMENT,
        "NetworkSpec.ipam.subnet: \"10.1.1.1/24\" has host bits set: it should be 10.1.1.0/24");
    assertStatus(() -> create(NetworkSpec.newBuilder().setName("a").setAttachable(true).build()), Status.Code.INVALID_ARGUMENT,
        "NetworkSpec.attachable: plain containers (docker run --network) cannot join Shoal networks, only service tasks can;"
            + " run the workload as a service instead (shoal service create --network NAME)");
    assertThat(store.listRaw("")).isEmpty();
  }

  @Test
  void getFindsByIdNameAndUniquePrefix() {
    Network n = create("findme");

    assertThat(get(n.getId())).isEqualTo(n);
    assertThat(get("findme")).isEqualTo(n);
    assertThat(get(n.getId().substring(0, 6))).isEqualTo(n);
    assertStatus(() -> get("nope"), Status.Code.NOT_FOUND, "network nope not found");
  }

  @Test
  void listingPagesThroughEveryNetwork() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(create("net-" + i).getId());
    }

    List<String> listed = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      ListNetworksResponse page = control.listNetworks(
          ListNetworksRequest.newBuilder().setPageSize(2).setPageToken(token).build());
      page.getNetworksList().forEach(n -> listed.add(n.getId()));
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());

    assertThat(listed).containsExactlyElementsOf(created.stream().sorted().toList());
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void deleteFreesTheNameAndSubnet() {
    create("a");
    Network b = create("b");
    create("c");

    delete("b");

    assertThat(store.get(Tables.NETWORKS, b.getId())).isEmpty();
    assertThat(store.owner(Tables.NETWORK_NAMES, "b")).isEmpty();
    assertThat(store.keys(Tables.SUBNETS)).containsExactlyInAnyOrder("10.0.0.0/24", "10.0.2.0/24");
    assertThat(create("b").getIpam().getSubnet()).isEqualTo("10.0.1.0/24");
    assertStatus(() -> delete("gone"), Status.Code.NOT_FOUND, "network gone not found");
  }

  @Test
  void eachNetworkGetsItsOwnVxlanIdAndAFreedOneIsGivenOutAgain() {
    Network a = create("a");
    Network b = create(withSubnet("b", "192.168.50.0/24"));
    create("c");

    assertThat(a.getVxlanId()).isEqualTo(4096);
    assertThat(b.getVxlanId()).isEqualTo(4097);
    assertThat(get("b").getVxlanId()).isEqualTo(4097);
    assertThat(store.owner(VXLAN_IDS, "4097")).contains(b.getId());

    delete("b");
    assertThat(store.keys(VXLAN_IDS)).containsExactlyInAnyOrder("4096", "4098");
    assertThat(create("d").getVxlanId()).isEqualTo(4097);
    assertThat(create("e").getVxlanId()).isEqualTo(4099);
  }

  @Test
  void aServiceStoresTheIdsOfItsNetworks() {
    Network net = create("my-network");
    Network other = create("other");

    Service s = createService(service("my-web", "my-network", other.getId().substring(0, 8)).toBuilder()
        .setNetworks(0, NetworkAttachmentConfig.newBuilder().setTarget("my-network").addAliases("web")).build());

    assertThat(s.getSpec().getNetworksList()).containsExactly(
        NetworkAttachmentConfig.newBuilder().setTarget(net.getId()).addAliases("web").build(),
        NetworkAttachmentConfig.newBuilder().setTarget(other.getId()).build());
    assertThat(store.get(Tables.SERVICES, s.getId()).orElseThrow().getSpec()).isEqualTo(s.getSpec());
  }

  @Test
  void anUnknownNetworkIsNotFoundAndNothingIsStored() {
    assertStatus(() -> createService(service("web", "nowhere")), Status.Code.NOT_FOUND, "network nowhere not found");
    assertThat(store.listRaw(Tables.SERVICES.name() + "/")).isEmpty();
    assertThat(store.listRaw(Tables.SERVICE_NAMES.name() + "/")).isEmpty();
  }

  @Test
  void aNetworkGivenTwiceOrWithABadAliasIsInvalid() {
    create("net");

    assertStatus(() -> createService(service("web", "net", "net")), Status.Code.INVALID_ARGUMENT,
        "ServiceSpec.networks[1].target: network net is given twice");
    assertStatus(() -> createService(service("web", "net").toBuilder()
            .setNetworks(0, NetworkAttachmentConfig.newBuilder().setTarget("net").addAliases("-x")).build()),
        Status.Code.INVALID_ARGUMENT, "ServiceSpec.networks[0].aliases[0]: \"-x\" must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
  }

  @Test
  void aNetworkInUseIsNotRemovedAndTheServicesAreNamed() {
    create("shared");
    Service web = createService(service("web", "shared"));
    createService(service("api", "shared"));
    createService(service("alone"));

    assertStatus(() -> delete("shared"), Status.Code.FAILED_PRECONDITION, "network shared is in use by services api, web;"
        + " take it off them first (service update --network-rm shared SERVICE) or remove them");

    control.deleteService(DeleteServiceRequest.newBuilder().setService("api").build());
    assertStatus(() -> delete("shared"), Status.Code.FAILED_PRECONDITION, "network shared is in use by service web;"
        + " take it off them first (service update --network-rm shared SERVICE) or remove them");

    update(web, service("web"));
    delete("shared");
    assertThat(store.listRaw(Tables.NETWORKS.name() + "/")).isEmpty();
  }

  @Test
  void anUpdateAddsAndRemovesNetworks() {
    // Names with a dash: "a" could be the prefix of the other network's id (base 36).
    Network a = create("net-a");
    Network b = create("net-b");
    Service v1 = createService(service("web", "net-a"));

    Service v2 = update(v1, v1.getSpec().toBuilder().addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("net-b")).build());
    assertThat(v2.getSpec().getNetworksList()).extracting(NetworkAttachmentConfig::getTarget)
        .containsExactly(a.getId(), b.getId());

    Service v3 = update(v2, v2.getSpec().toBuilder().removeNetworks(0).build());
    assertThat(v3.getSpec().getNetworksList()).extracting(NetworkAttachmentConfig::getTarget).containsExactly(b.getId());
    delete("net-a");
    assertStatus(() -> update(v3, v3.getSpec().toBuilder().addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("net-a")).build()),
        Status.Code.NOT_FOUND, "network net-a not found");
  }

  @Test
  void aRollbackToANetworkRemovedSinceIsRefused() {
    Network gone = create("gone");
    Service v1 = createService(service("web", "gone"));
    Service v2 = update(v1, service("web"));
    delete("gone");

    assertStatus(() -> control.updateService(UpdateServiceRequest.newBuilder().setServiceId(v2.getId())
            .setVersion(v2.getVersion()).setRollback(true).build()),
        Status.Code.FAILED_PRECONDITION, "service web can't roll back: network " + gone.getId() + " no longer exists");
  }

  @Test
  void aDnsrrServiceIsStoredAndOneWithAnIngressPortIsRefused() {
    create("net");
    ServiceSpec dnsrr = service("db", "net").toBuilder()
        .setEndpoint(EndpointSpec.newBuilder().setMode(EndpointMode.ENDPOINT_MODE_DNSRR)).build();

    Service db = createService(dnsrr);
    assertThat(store.get(Tables.SERVICES, db.getId()).orElseThrow().getSpec().getEndpoint().getMode())
        .isEqualTo(EndpointMode.ENDPOINT_MODE_DNSRR);

    ServiceSpec withIngress = dnsrr.toBuilder().setEndpoint(dnsrr.getEndpoint().toBuilder()
        .addPorts(PortConfig.newBuilder().setTargetPort(5432).setPublishedPort(15432))).build();
    String refusal = "EndpointSpec.mode: port published with ingress mode can't be used with dnsrr mode"
        + " (port 5432/tcp; publish it with mode=host, or use --endpoint-mode vip)";
    assertStatus(() -> update(db, withIngress), Status.Code.INVALID_ARGUMENT, refusal);
    assertStatus(() -> createService(withIngress.toBuilder().setName("other").build()), Status.Code.INVALID_ARGUMENT,
        refusal);
    assertThat(store.keys(Tables.INGRESS_PORTS)).isEmpty();
    assertThat(store.owner(Tables.SERVICE_NAMES, "other")).isEmpty();
  }

  private static String fieldViolation(StatusRuntimeException e) {
    var status = StatusProto.fromThrowable(e);
    try {
      return status.getDetails(0).unpack(BadRequest.class).getFieldViolations(0).getField();
    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
      throw new AssertionError(ex);
    }
  }
}
