package io.shoal.agent.discovery;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How the overlay networks' DNS server listens and forwards.
 *
 * @param port the port it listens on, UDP and TCP, at every bound address (53: containers
 *     reach it through Docker's {@code --dns}, which takes no port)
 * @param upstreams where names that are not the cluster's go, tried in order
 * @param upstreamTimeout how long an upstream has to answer before the next is asked
 * @param maxForwards queries waiting for an upstream at once; more are answered SERVFAIL
 */
public record DnsServerConfig(
    int port, List<InetSocketAddress> upstreams, Duration upstreamTimeout, int maxForwards) {
  public static final int DNS_PORT = 53;
  /** Within the 5 s a stub resolver waits (glibc's default): two upstreams get their turn. */
  public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(2);
  /** Each costs a socket until answered or timed out. */
  public static final int DEFAULT_MAX_FORWARDS = 1024;

  public DnsServerConfig {
    upstreams = List.copyOf(upstreams);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port: must be 0-65535, was " + port);
    }
    if (upstreamTimeout.isNegative() || upstreamTimeout.isZero()) {
      throw new IllegalArgumentException("upstreamTimeout: must be positive, was " + upstreamTimeout);
    }
    if (maxForwards < 1) {
      throw new IllegalArgumentException("maxForwards: must be at least 1, was " + maxForwards);
    }
  }

  /** Port 53, the default timeout and bound. */
  public static DnsServerConfig forwardingTo(List<InetSocketAddress> upstreams) {
    return new DnsServerConfig(DNS_PORT, upstreams, DEFAULT_UPSTREAM_TIMEOUT, DEFAULT_MAX_FORWARDS);
  }
}
