package io.shoal.common.store;

/**
 * Where a service finds its etcd: the parsed {@code --etcd-endpoints} and {@code --etcd-prefix}.
 *
 * @param endpoints etcd client URLs, comma-separated
 * @param prefix the key root of Shoal's state, ending with '/'
 */
public record StoreConfig(String endpoints, String prefix) {}
