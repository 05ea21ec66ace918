package io.shoal.meshproxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The parsed flags of one mesh-proxy.
 *
 * @param address the node's address: published ports are served there
 * @param etcdEndpoints comma-separated etcd client URLs
 * @param etcdPrefix the key root of Shoal's state, ending with '/'
 * @param grpcListen where gRPC health and reflection listen (port 0: any free port)
 * @param metricsPort the Prometheus port on {@code address}; 0 disables the endpoint
 * @param backendConnectTimeout how long a backend may take to accept before the next is tried
 */
public record MeshProxyConfig(
    InetAddress address,
    String etcdEndpoints,
    String etcdPrefix,
    InetSocketAddress grpcListen,
    int metricsPort,
    Duration backendConnectTimeout) {}
