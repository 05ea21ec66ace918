package io.shoal.control.network;

import io.shoal.control.limits.SpecLimits;

/**
 * The bounds a network and a service's network attachments keep (docs/LIMITS.md); a network's
 * labels and name keep a service's ({@code SpecLimits}).
 */
public final class NetworkLimits {
  /**
   * Networks in the cluster. Every create reads every claimed subnet to rule out overlap (keys
   * of ~40 bytes, ~160 KiB at the bound), and creates are serialized by one counter; Swarm's
   * default pool holds 65,536 /24s, far more than a cluster uses.
   */
  public static final int MAX_NETWORKS = 4096;
  /** The largest subnet (given or a pool): a /8, Swarm's whole default pool. */
  public static final int MIN_PREFIX = 8;
  /**
   * The smallest subnet: a /29 holds 8 addresses, of which the network and broadcast addresses
   * and the gateway leave 5 for tasks and virtual IPs.
   */
  public static final int MAX_PREFIX = 29;
  /** Networks one service joins: each is an interface in every task. */
  public static final int MAX_SERVICE_NETWORKS = 32;
  /** Aliases of a service on one network. */
  public static final int MAX_ALIASES = 32;
  /** An alias is a DNS name. */
  public static final int MAX_ALIAS = 253;
  /** A reference to a network in a service spec: a name (63), an id (25) or a prefix. */
  public static final int MAX_TARGET = 63;
  /** The encoded NetworkSpec, as a node's spec. */
  public static final int MAX_SPEC_BYTES = 64 * 1024;

  private NetworkLimits() {}
}
