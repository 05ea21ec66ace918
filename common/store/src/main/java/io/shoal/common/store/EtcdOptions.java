package io.shoal.common.store;

import java.nio.file.Path;
import java.util.Optional;
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

  @Option(
      names = "--etcd-cert-dir",
      defaultValue = "${env:SHOAL_ETCD_CERT_DIR}",
      description = "ca.pem, cert.pem and key.pem for mutual TLS with etcd (https endpoints; env SHOAL_ETCD_CERT_DIR;"
          + " default: the service's --cert-dir).")
  public Path certDir;

  /** Where the store finds etcd, with TLS from --etcd-cert-dir or else {@code serviceCertDir}. */
  public StoreConfig config(Writer writer, Optional<Path> serviceCertDir) {
    return new StoreConfig(endpoints, prefix, writer, certDir != null ? Optional.of(certDir) : serviceCertDir);
  }
}
