package io.shoal.common.store;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a service finds its etcd, and whose keys it writes: the parsed {@code --etcd-endpoints}
 * and {@code --etcd-prefix}, and the service's {@link Writer}.
 *
 * @param endpoints etcd client URLs, comma-separated
 * @param prefix the key root of Shoal's state, ending with '/'
 * @param writer the part the store writes for: its handle refuses every other part's keys
 * @param certDir ca.pem, cert.pem and key.pem for mutual TLS with etcd; empty: plain etcd
 */
public record StoreConfig(String endpoints, String prefix, Writer writer, Optional<Path> certDir) {
  /** Plain etcd (tests that start their own). */
  public StoreConfig(String endpoints, String prefix, Writer writer) {
    this(endpoints, prefix, writer, Optional.empty());
  }
}
