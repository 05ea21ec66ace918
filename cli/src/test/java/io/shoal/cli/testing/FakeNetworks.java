package io.shoal.cli.testing;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.IpamConfig;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.NetworkAttachmentConfig;
import io.shoal.api.v1.NetworkSpec;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The network half of {@link FakeControlService}, in memory: names unique, subnets 10.0.N.0/24 in
 * order unless given, references by id, name or unique prefix, and removal refused while a
 * service uses the network, in control's words. Not thread-safe: the fake calls it under its lock.
 */
final class FakeNetworks {
  private final Map<String, Network> networks = new LinkedHashMap<>();
  private final Supplier<String> ids;
  private int nextBlock;
  private int nextVxlanId = 4096;

  FakeNetworks(Supplier<String> ids) {
    this.ids = ids;
  }

  Network add(NetworkSpec spec) {
    if (networks.values().stream().anyMatch(n -> n.getSpec().getName().equals(spec.getName()))) {
      throw Status.ALREADY_EXISTS.withDescription("network " + spec.getName() + " already exists").asRuntimeException();
    }
    if (!spec.getDriver().isEmpty() && !spec.getDriver().equals("overlay")) {
      throw Status.INVALID_ARGUMENT.withDescription("NetworkSpec.driver: driver \"" + spec.getDriver()
          + "\" is not supported; Shoal's networks span the cluster, so the driver is overlay").asRuntimeException();
    }
    if (spec.getAttachable()) {
      throw Status.INVALID_ARGUMENT.withDescription("NetworkSpec.attachable: plain containers (docker run --network)"
          + " cannot join Shoal networks, only service tasks can; run the workload as a service instead"
          + " (shoal service create --network NAME)").asRuntimeException();
    }
    String subnet = spec.getIpam().getSubnet().isEmpty() ? "10.0." + nextBlock++ + ".0/24" : spec.getIpam().getSubnet();
    String gateway = spec.getIpam().getGateway().isEmpty()
        ? subnet.substring(0, subnet.lastIndexOf('.')) + ".1" : spec.getIpam().getGateway();
    Network network = Network.newBuilder()
        .setId(ids.get())
        .setVersion(1)
        .setSpec(spec.toBuilder().setDriver("overlay"))
        .setIpam(IpamConfig.newBuilder().setSubnet(subnet).setGateway(gateway).setIpRange(spec.getIpam().getIpRange()))
        .setVxlanId(nextVxlanId++)
        .build();
    networks.put(network.getId(), network);
    return network;
  }

  List<Network> all() {
    return new ArrayList<>(networks.values());
  }

  Network get(String reference) {
    return find(reference).orElseThrow(
        () -> Status.NOT_FOUND.withDescription("network " + reference + " not found").asRuntimeException());
  }

  void remove(String reference, Collection<Service> services) {
    Network network = get(reference);
    List<String> users = services.stream()
        .filter(s -> s.getSpec().getNetworksList().stream().anyMatch(n -> n.getTarget().equals(network.getId())))
        .map(s -> s.getSpec().getName()).sorted().toList();
    if (!users.isEmpty()) {
      String name = network.getSpec().getName();
      throw Status.FAILED_PRECONDITION.withDescription("network " + name + " is in use by "
          + (users.size() == 1 ? "service " : "services ") + String.join(", ", users)
          + "; take it off them first (service update --network-rm " + name + " SERVICE) or remove them")
          .asRuntimeException();
    }
    networks.remove(network.getId());
  }

  /** The spec with each network target replaced by its network's id, as control stores it. */
  ServiceSpec resolve(ServiceSpec spec) throws StatusRuntimeException {
    ServiceSpec.Builder resolved = spec.toBuilder().clearNetworks();
    for (NetworkAttachmentConfig n : spec.getNetworksList()) {
      resolved.addNetworks(n.toBuilder().setTarget(get(n.getTarget()).getId()));
    }
    return resolved.build();
  }

  private Optional<Network> find(String reference) {
    if (networks.containsKey(reference)) {
      return Optional.of(networks.get(reference));
    }
    Optional<Network> byName = networks.values().stream()
        .filter(n -> n.getSpec().getName().equals(reference)).findFirst();
    if (byName.isPresent() || reference.isEmpty()) {
      return byName;
    }
    List<Network> byPrefix = networks.values().stream().filter(n -> n.getId().startsWith(reference)).toList();
    return byPrefix.size() == 1 ? Optional.of(byPrefix.get(0)) : Optional.empty();
  }
}
