package io.shoal.control.network;

import java.util.List;

/**
 * Where networks get their subnets: blocks of {@code /poolSize} carved from {@code pool}
 * (Swarm's default: 10.0.0.0/8 in /24s) for networks created without one, and the ranges no
 * network may overlap (the hosts' own subnet, Docker's default bridge).
 *
 * @param pool the default address pool
 * @param poolSize the prefix length of each block given out, pool's prefix..{@link NetworkLimits#MAX_PREFIX}
 * @param reserved ranges in use outside Shoal's networks
 */
public record NetworkConfig(Cidr pool, int poolSize, List<Cidr> reserved) {
  /** Swarm's default pool; Docker's default bridge (docker0) reserved. */
  public static final NetworkConfig DEFAULT =
      new NetworkConfig(Cidr.parse("10.0.0.0/8"), 24, List.of(Cidr.parse("172.17.0.0/16")));

  public NetworkConfig {
    reserved = List.copyOf(reserved);
    if (poolSize < pool.prefix() || poolSize > NetworkLimits.MAX_PREFIX) {
      throw new IllegalArgumentException("the pool size /" + poolSize + " must lie between the pool's own /"
          + pool.prefix() + " and /" + NetworkLimits.MAX_PREFIX);
    }
    if (pool.prefix() < NetworkLimits.MIN_PREFIX) {
      throw new IllegalArgumentException("the pool " + pool + " is larger than a /" + NetworkLimits.MIN_PREFIX);
    }
  }
}
