package io.shoal.control.network;

import io.grpc.Status;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Picks and checks subnets against what is taken; pure, so the rules are tested alone. A network
 * without a subnet gets the lowest block of the default pool that overlaps neither another
 * network nor a reserved range; a given subnet must overlap neither. {@link NetworkManager}
 * claims the result in etcd, where a concurrent claim makes one of two creates retry.
 */
final class SubnetAllocator {
  static final String FIELD = "NetworkSpec.ipam.subnet";

  private final NetworkConfig config;

  SubnetAllocator(NetworkConfig config) {
    this.config = config;
  }

  /**
   * The lowest free block of the pool.
   *
   * @param taken every network's subnet
   * @throws ShoalException RESOURCE_EXHAUSTED when no block is free
   */
  Cidr allocate(Collection<Cidr> taken) {
    List<Cidr> used = new ArrayList<>(taken);
    used.addAll(config.reserved());
    used.sort(null);
    long blockSize = 1L << (32 - config.poolSize());
    long next = config.pool().base();
    // Each conflict moves past the range in the way, so this loops at most once per used range.
    while (next + blockSize - 1 <= config.pool().last()) {
      Cidr candidate = new Cidr(next, config.poolSize());
      Optional<Cidr> conflict = used.stream().filter(candidate::overlaps).findFirst();
      if (conflict.isEmpty()) {
        return candidate;
      }
      long past = Math.max(conflict.get().last() + 1, next + blockSize);
      next = (past + blockSize - 1) / blockSize * blockSize;
    }
    throw new ShoalException(Status.Code.RESOURCE_EXHAUSTED, "the default address pool " + config.pool()
        + " has no free /" + config.poolSize() + " left (" + taken.size() + " networks; reserved: "
        + config.reserved() + "); give the network a --subnet, or remove a network");
  }

  /**
   * Refuses a given subnet that overlaps another network's or a reserved range, naming both.
   *
   * @param taken every network's subnet
   * @param describe how to name the network of a taken subnet ("network web")
   */
  void checkGiven(Cidr subnet, Collection<Cidr> taken, Function<Cidr, String> describe) {
    for (Cidr reserved : config.reserved()) {
      if (subnet.overlaps(reserved)) {
        throw new InvalidArgumentException(FIELD, subnet + " overlaps the reserved range " + reserved
            + " (control's --reserved-subnet: the hosts' own network or Docker's bridge)");
      }
    }
    taken.stream().filter(subnet::overlaps).min(Comparator.naturalOrder()).ifPresent(other -> {
      throw new InvalidArgumentException(FIELD, subnet + " overlaps " + other + " of " + describe.apply(other));
    });
  }
}
