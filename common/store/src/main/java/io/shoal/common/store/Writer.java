package io.shoal.common.store;

import java.util.List;

/**
 * The parts of Shoal that write etcd, each with the key prefixes it may write. A part's
 * {@link StoreConfig} names its writer, and {@link StoreModule} gives it
 * {@link EtcdStore#writingAs}, a handle that refuses a write under any other prefix, so the
 * table in ARCHITECTURE.md ("Who owns what") is kept by the code; a test holds that table and
 * these declarations together.
 *
 * <p>Every key has one writer, with one declared exception: a task's {@code status} is the
 * dispatcher's (as SwarmKit splits a task between orchestrator and agent).
 */
public enum Writer {
  CONTROL("control", Tables.SERVICES.name(), Tables.SERVICE_NAMES.name(), Tables.INGRESS_PORTS.name(),
      Tables.CREDENTIALS.name(), Tables.NODES.name(), Tables.NETWORKS.name(), Tables.NETWORK_NAMES.name(),
      Tables.SUBNETS.name(), Tables.ALLOCATOR, Tables.SECRETS.name(), Tables.SECRET_DATA.name(),
      Tables.SECRET_NAMES.name(), Tables.CONFIGS.name(), Tables.CONFIG_DATA.name(), Tables.CONFIG_NAMES.name(),
      Tables.CLUSTER, Tables.REVOKED_NODES.name(), Tables.REMOVED_SERVICES.name(), Tables.METRICS_CONTROL),
  SCHEDULER("scheduler", Tables.TASKS.name(), Tables.SERVICE_STATUS.name(), Tables.ADDRESSES.name(), Tables.LEADER,
      Tables.METRICS_SCHEDULER),
  DISPATCHER("dispatcher", Tables.TASKS.name(), Tables.NODE_REGISTRATIONS.name(), Tables.SESSIONS.name(),
      Tables.METRICS_DISPATCHER),
  /** Reads but for where it serves metrics: it seals credentials, and control stores them. */
  REGISTRY("registry service", Tables.METRICS_REGISTRY),
  /** Reads but for where it serves metrics. */
  MESH_PROXY("mesh-proxy", Tables.METRICS_MESH_PROXY);

  private final String part;
  private final List<String> prefixes;

  Writer(String part, String... prefixes) {
    this.part = part;
    this.prefixes = List.of(prefixes);
  }

  /** The part's name, as ARCHITECTURE.md's table calls it. */
  public String part() {
    return part;
  }

  /** The key prefixes it writes, below the store's root, without their trailing '/'. */
  public List<String> prefixes() {
    return prefixes;
  }

  /** Whether {@code path} (below the root) lies under one of its prefixes. */
  public boolean mayWrite(String path) {
    return prefixes.stream().anyMatch(p -> path.startsWith(p + "/"));
  }
}
