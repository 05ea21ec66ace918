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
 * @param drainTimeout how long the open connections of a task that left the routes may go on
 * @param udpIdleTimeout how long a UDP flow lives without a datagram in either direction
 */
public record MeshProxyConfig(
    InetAddress address,
    String etcdEndpoints,
    String etcdPrefix,
    InetSocketAddress grpcListen,
    int metricsPort,
    Duration backendConnectTimeout,
    Duration drainTimeout,
    Duration udpIdleTimeout) {
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_UDP_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /** The defaults for everything after {@code backendConnectTimeout}. */
  public MeshProxyConfig(InetAddress address, String etcdEndpoints, String etcdPrefix,
      InetSocketAddress grpcListen, int metricsPort, Duration backendConnectTimeout) {
    this(address, etcdEndpoints, etcdPrefix, grpcListen, metricsPort, backendConnectTimeout,
        DEFAULT_DRAIN_TIMEOUT, DEFAULT_UDP_IDLE_TIMEOUT);
  }

  public MeshProxyConfig withDrainTimeout(Duration timeout) {
    return new MeshProxyConfig(address, etcdEndpoints, etcdPrefix, grpcListen, metricsPort,
        backendConnectTimeout, timeout, udpIdleTimeout);
  }

  public MeshProxyConfig withUdpIdleTimeout(Duration timeout) {
    return new MeshProxyConfig(address, etcdEndpoints, etcdPrefix, grpcListen, metricsPort,
        backendConnectTimeout, drainTimeout, timeout);
  }
}
