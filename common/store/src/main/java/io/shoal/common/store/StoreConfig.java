package io.shoal.common.store;

/**
 * Where a service finds its etcd, and whose keys it writes: the parsed {@code --etcd-endpoints}
 * and {@code --etcd-prefix}, and the service's {@link Writer}.
 *
 * @param endpoints etcd client URLs, comma-separated
 * @param prefix the key root of Shoal's state, ending with '/'
 * @param writer the part the store writes for: its handle refuses every other part's keys
 */
public record StoreConfig(String endpoints, String prefix, Writer writer) {}
