package io.shoal.common.store;

import java.nio.file.Path;
import java.util.Arrays;
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
  /** @throws IllegalArgumentException when the endpoints mix http and https, or are https without {@code certDir} */
  public StoreConfig {
    https(endpoints, certDir);
  }

  /** Plain etcd (tests that start their own). */
  public StoreConfig(String endpoints, String prefix, Writer writer) {
    this(endpoints, prefix, writer, Optional.empty());
  }

  /**
   * Whether {@code endpoints} are https (TLS with {@code certDir}'s files) rather than http; a
   * certificate given for a plain etcd is not used (tests start their own plain etcd).
   *
   * @throws IllegalArgumentException when they mix schemes, or are https without {@code certDir}
   */
  static boolean https(String endpoints, Optional<Path> certDir) {
    long https = Arrays.stream(endpoints.split(",")).filter(url -> url.strip().startsWith("https://")).count();
    if (https == 0) {
      return false;
    }
    if (https != endpoints.split(",").length) {
      throw new IllegalArgumentException("etcd endpoints " + endpoints + " mix http and https");
    }
    if (certDir.isEmpty()) {
      throw new IllegalArgumentException("etcd endpoints " + endpoints + " are https, but nothing gives this"
          + " service a certificate for etcd: give --etcd-cert-dir DIR or --cert-dir DIR");
    }
    return true;
  }
}
