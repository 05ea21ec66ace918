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
 * @param limits caps on connections and flows, and the TCP timeouts
 */
public record MeshProxyConfig(
    InetAddress address,
    String etcdEndpoints,
    String etcdPrefix,
    InetSocketAddress grpcListen,
    int metricsPort,
    Duration backendConnectTimeout,
    Duration drainTimeout,
    Duration udpIdleTimeout,
    Limits limits) {
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_UDP_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * What one proxy holds at most, and how long a TCP connection may stay quiet.
   *
   * @param tcpIdleTimeout a TCP connection with no byte either way for this long is closed
   * @param tcpHalfClosedTimeout once one side has sent its FIN, the direction still open may stay
   *     quiet this long before the connection is closed
   * @param connectionsPerPort TCP connections open at once through one published port
   * @param connections TCP connections open at once through the proxy
   * @param udpFlowsPerPort UDP flows (one socket each) of one published port
   * @param udpFlows UDP flows of the proxy
   * @param evictableAfter when a port is full, a new client takes the slot of the connection or
   *     flow quiet longest, if it has been quiet at least this long; else the client is turned away
   */
  public record Limits(Duration tcpIdleTimeout, Duration tcpHalfClosedTimeout,
      int connectionsPerPort, int connections, int udpFlowsPerPort, int udpFlows,
      Duration evictableAfter) {
    /**
     * Ten minutes idle, as nginx stream's {@code proxy_timeout}: long-lived quiet connections
     * (database pools, message brokers) survive, a forgotten one does not stay for ever. Thirty
     * seconds half-closed, as HAProxy's usual {@code timeout client-fin}: an answer after the
     * client's FIN keeps flowing, a peer that never closes its side is let go. 4,096 connections
     * (8,192 descriptors: client and backend) and 4,096 UDP flows (one each) fit a 16,384
     * descriptor limit with room for the rest; half of each per port, so a flood on one port
     * leaves the other ports at least the other half. A second quiet before eviction: idle
     * sockets held open by one client cannot lock a port's slots for the idle timeout (#16: 10,000
     * idle connections once reset every new client of the port), while a connection that is
     * moving bytes is never the quietest; a client that keeps a pooled connection quiet at a full
     * port has it closed, as a server closing an idle keep-alive would.
     */
    public static final Limits DEFAULT = new Limits(Duration.ofMinutes(10), Duration.ofSeconds(30),
        2048, 4096, 2048, 4096, Duration.ofSeconds(1));

    public Limits {
      if (connectionsPerPort < 1 || connections < 1 || udpFlowsPerPort < 1 || udpFlows < 1) {
        throw new IllegalArgumentException("connection and flow limits must be at least 1");
      }
      if (evictableAfter.isNegative()) {
        throw new IllegalArgumentException("the quiet time before eviction must not be negative");
      }
    }
  }

  /** The defaults for everything after {@code backendConnectTimeout}. */
  public MeshProxyConfig(InetAddress address, String etcdEndpoints, String etcdPrefix,
      InetSocketAddress grpcListen, int metricsPort, Duration backendConnectTimeout) {
    this(address, etcdEndpoints, etcdPrefix, grpcListen, metricsPort, backendConnectTimeout,
        DEFAULT_DRAIN_TIMEOUT, DEFAULT_UDP_IDLE_TIMEOUT, Limits.DEFAULT);
  }

  public MeshProxyConfig withDrainTimeout(Duration timeout) {
    return new MeshProxyConfig(address, etcdEndpoints, etcdPrefix, grpcListen, metricsPort,
        backendConnectTimeout, timeout, udpIdleTimeout, limits);
  }

  public MeshProxyConfig withUdpIdleTimeout(Duration timeout) {
    return new MeshProxyConfig(address, etcdEndpoints, etcdPrefix, grpcListen, metricsPort,
        backendConnectTimeout, drainTimeout, timeout, limits);
  }

  public MeshProxyConfig withLimits(Limits newLimits) {
    return new MeshProxyConfig(address, etcdEndpoints, etcdPrefix, grpcListen, metricsPort,
        backendConnectTimeout, drainTimeout, udpIdleTimeout, newLimits);
  }
}
