package io.shoal.control.network;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.grpc.Status;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.NetworkAttachmentConfig;
import io.shoal.api.v1.NetworkSpec;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.ids.Ids;
import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Txn;
import io.shoal.common.time.Timestamps;
import io.shoal.control.usage.ServiceUsers;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Networks as the user changes them: create and delete, each one guarded etcd transaction of
 * {@code networks/<id>}, its name ({@code names/networks/}) and its subnet ({@code subnets/}).
 * Every create also bumps the {@code allocator/subnets} counter it read before looking at the
 * subnets taken: two creates that raced for overlapping subnets cannot both commit, and the
 * loser reads again and picks again (or is told what its given subnet overlaps). The network's
 * VXLAN id is picked the same way, read after the counter and claimed in the same transaction.
 */
public final class NetworkManager {
  private static final Logger log = LoggerFactory.getLogger(NetworkManager.class);
  /** A create that keeps losing to concurrent ones gives up; each round lets one of them in. */
  static final int MAX_ATTEMPTS = 16;
  static final String GENERATION = Tables.ALLOCATOR + "/subnets";

  private final EtcdStore store;
  private final Clock clock;
  private final SubnetAllocator allocator;
  private final NetworkQueries queries;

  @Inject
  public NetworkManager(EtcdStore store, NetworkConfig config, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.allocator = new SubnetAllocator(config);
    this.queries = new NetworkQueries(store);
  }

  public Network create(NetworkSpec requested) {
    NetworkSpecValidator.Checked checked = NetworkSpecValidator.check(requested);
    NetworkSpec spec = checked.spec();
    String id = Ids.newId();
    for (int attempt = 1; ; attempt++) {
      requireFreeName(spec.getName());
      // Read before the subnets: any claim after this read moves it, and our commit fails.
      Optional<String> generation = store.getString(GENERATION);
      Set<Cidr> taken = store.keys(Tables.SUBNETS).stream().map(Cidr::parse).collect(Collectors.toSet());
      if (taken.size() >= NetworkLimits.MAX_NETWORKS) {
        throw new ShoalException(Status.Code.RESOURCE_EXHAUSTED, "the cluster has " + taken.size()
            + " networks, the most it takes (" + NetworkLimits.MAX_NETWORKS + "); remove one first");
      }
      Cidr subnet;
      if (checked.subnet().isPresent()) {
        subnet = checked.subnet().get();
        allocator.checkGiven(subnet, taken, this::describe);
      } else {
        subnet = allocator.allocate(taken);
      }
      int vxlanId = VxlanIds.lowestFree(VxlanIds.parse(store.keys(VxlanIds.INDEX)));
      Network network = Network.newBuilder()
          .setId(id).setSpec(spec).setIpam(NetworkSpecValidator.allocated(spec.getIpam(), subnet))
          .setVxlanId(vxlanId).setCreateTime(Timestamps.now(clock)).build();
      Txn txn = store.txn()
          .create(Tables.NETWORKS, id, network)
          .claim(Tables.NETWORK_NAMES, spec.getName(), id)
          .claim(Tables.SUBNETS, subnet.toString(), id)
          .claim(VxlanIds.INDEX, Integer.toString(vxlanId), id);
      bump(txn, generation);
      try {
        long revision = txn.commit();
        log.info("created network {} ({}) on {}, VXLAN id {}", spec.getName(), id, subnet, vxlanId);
        return network.toBuilder().setVersion(revision).build();
      } catch (ConflictException e) {
        if (attempt == MAX_ATTEMPTS) {
          throw new ConflictException("networks kept being created while creating " + spec.getName()
              + " (" + MAX_ATTEMPTS + " attempts); retry");
        }
      }
    }
  }

  /**
   * Deletes a network no service uses, and frees its subnet. A service that starts using it
   * meanwhile rewrites it (NetworkAttachments), so the delete, guarded by the version read before
   * the services, conflicts and looks again.
   */
  public void delete(String reference) {
    for (int attempt = 1; ; attempt++) {
      Network network = queries.find(reference);
      String name = network.getSpec().getName();
      List<String> users = ServiceUsers.of(store, spec -> spec.getNetworksList().stream()
          .map(NetworkAttachmentConfig::getTarget).anyMatch(network.getId()::equals));
      if (!users.isEmpty()) {
        throw ShoalException.failedPrecondition("network " + name + " is in use by " + ServiceUsers.named(users)
            + "; take it off them first (service update --network-rm " + name + " SERVICE) or remove them");
      }
      Txn txn = store.txn()
          .delete(Tables.NETWORKS, network.getId(), network.getVersion())
          .release(Tables.NETWORK_NAMES, name, network.getId())
          .release(Tables.SUBNETS, network.getIpam().getSubnet(), network.getId());
      if (network.getVxlanId() != 0) {
        // Networks stored before they had one hold none.
        txn.release(VxlanIds.INDEX, Integer.toString(network.getVxlanId()), network.getId());
      }
      try {
        txn.commit();
        log.info("removed network {} ({})", name, network.getId());
        return;
      } catch (ConflictException e) {
        if (attempt == MAX_ATTEMPTS) {
          throw new ConflictException("network " + name + " kept changing while removing it; retry");
        }
      }
    }
  }

  private void requireFreeName(String name) {
    if (store.owner(Tables.NETWORK_NAMES, name).isPresent()) {
      throw ShoalException.alreadyExists("network " + name + " already exists");
    }
  }

  /** Adds to {@code txn} the move of the counter from {@code read} (absent: never bumped) to the next value. */
  private static void bump(Txn txn, Optional<String> read) {
    long next = read.map(Long::parseLong).orElse(0L) + 1;
    if (read.isPresent()) {
      txn.requireValue(GENERATION, read.get());
    } else {
      txn.requireAbsent(GENERATION);
    }
    txn.putBytes(GENERATION, Long.toString(next).getBytes(UTF_8), 0);
  }

  /** "network web", for the network holding a subnet. */
  private String describe(Cidr subnet) {
    Optional<String> id = store.owner(Tables.SUBNETS, subnet.toString());
    return "network " + id.flatMap(i -> store.get(Tables.NETWORKS, i)).map(n -> n.getSpec().getName())
        .orElse(id.orElse("(removed meanwhile)"));
  }
}
