package io.shoal.meshproxy.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.shoal.api.v1.Protocol;
import io.shoal.meshproxy.MeshProxyConfig;
import io.shoal.meshproxy.balance.BackendChooser;
import io.shoal.meshproxy.balance.BackendConnections;
import io.shoal.meshproxy.ports.Frontend;
import io.shoal.meshproxy.ports.OpenSlots;
import io.shoal.meshproxy.ports.PublishedPort;
import io.shoal.meshproxy.routes.LiveRoutes;
import io.shoal.meshproxy.transport.EventLoops;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;

/**
 * Serves UDP published ports: a datagram channel per port on one I/O thread, whose
 * {@link UdpFlows} handler forwards each client's datagrams to one backend per flow.
 */
@Singleton
public final class UdpFrontend implements Frontend {
  /** The largest UDP payload, so no datagram is truncated on either side. */
  static final int MAX_DATAGRAM = 65_535;

  private final EventLoops loops;
  private final ByteBufAllocator allocator;
  private final LiveRoutes routes;
  private final BackendChooser chooser;
  private final BackendConnections connections;
  private final MeshProxyConfig config;
  private final OpenSlots slots;

  @Inject
  public UdpFrontend(EventLoops loops, ByteBufAllocator allocator, LiveRoutes routes,
      BackendChooser chooser, BackendConnections connections, MeshProxyConfig config) {
    this.loops = loops;
    this.allocator = allocator;
    this.routes = routes;
    this.chooser = chooser;
    this.connections = connections;
    this.config = config;
    this.slots = new OpenSlots(config.limits().udpFlowsPerPort(), config.limits().udpFlows());
  }

  /** UDP flows open now, all ports together. */
  public int openFlows() {
    return slots.open();
  }

  @Override
  public Protocol protocol() {
    return Protocol.PROTOCOL_UDP;
  }

  @Override
  public ChannelFuture bind(InetSocketAddress address, PublishedPort port) {
    Bootstrap backends = new Bootstrap()
        .channel(loops.transport().datagramChannel())
        .option(ChannelOption.ALLOCATOR, allocator)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
    return new Bootstrap()
        .group(loops.workers())
        .channel(loops.transport().datagramChannel())
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.ALLOCATOR, allocator)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
        .handler(new UdpFlows(port, routes, chooser, connections, backends,
            config.udpIdleTimeout(), config.limits().evictableAfter(), slots))
        .bind(address);
  }
}
