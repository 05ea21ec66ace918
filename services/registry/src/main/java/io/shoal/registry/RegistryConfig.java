package io.shoal.registry;

import io.shoal.common.store.StoreConfig;
import io.shoal.registry.credentials.ClusterKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed flags of the registry service.
 *
 * @param listen where gRPC listens, one or more addresses; metrics on the first one's host
 * @param metricsPort the Prometheus port; 0 disables the endpoint
 * @param store where etcd is
 * @param insecureRegistries registries (host:port) spoken to over plain HTTP
 * @param timeout how long to wait for a registry
 * @param cacheTtl how long a tag's digest is reused; zero disables the cache
 * @param cacheSize most answers the resolution cache keeps
 * @param clusterKey seals registry credentials in etcd; without it they are refused
 */
public record RegistryConfig(
    List<InetSocketAddress> listen,
    int metricsPort,
    StoreConfig store,
    Set<String> insecureRegistries,
    Duration timeout,
    Duration cacheTtl,
    long cacheSize,
    Optional<ClusterKey> clusterKey) {}
