package io.shoal.common.store;

import picocli.CommandLine.Option;

/** Where a service finds etcd: flags, with the environment as defaults. */
public final class EtcdOptions {
  @Option(
      names = "--etcd-endpoints",
      defaultValue = "${env:SHOAL_ETCD_ENDPOINTS:-http://127.0.0.1:2379}",
      description = "etcd client URLs, comma-separated (env SHOAL_ETCD_ENDPOINTS; default: ${DEFAULT-VALUE}).")
  public String endpoints;

  @Option(
      names = "--etcd-prefix",
      defaultValue = "${env:SHOAL_ETCD_PREFIX:-/shoal/v1/}",
      description = "Key prefix for all of Shoal's state (env SHOAL_ETCD_PREFIX; default: ${DEFAULT-VALUE}).")
  public String prefix;
}
