package io.shoal.meshproxy.tcp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.shoal.api.v1.Protocol;
import io.shoal.meshproxy.MeshProxyConfig;
import io.shoal.meshproxy.ports.Frontend;
import io.shoal.meshproxy.ports.OpenSlots;
import io.shoal.meshproxy.ports.PublishedPort;
import io.shoal.meshproxy.routes.LiveRoutes;
import io.shoal.meshproxy.transport.EventLoops;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves TCP published ports: one server bootstrap for all of them, each listener's connections
 * carrying their {@link PublishedPort} so they find their route.
 *
 * <p>Bounds: a connection is accepted while its port and the proxy hold fewer than their caps
 * ({@link OpenSlots}). Above them, it takes the slot of the port's connection quiet longest if
 * that one has moved no byte for the limits' {@code evictableAfter} ({@link ClientConnections};
 * counted as evicted), else it is reset at once (RST, so neither side keeps a TIME_WAIT) and
 * counted as over the limit. Every client connection is closed after the idle timeout with no
 * byte either way ({@link QuietTimeout}).
 */
@Singleton
public final class TcpFrontend implements Frontend {
  private static final Logger log = LoggerFactory.getLogger(TcpFrontend.class);

  private final ServerBootstrap bootstrap;
  private final OpenSlots slots;

  @Inject
  public TcpFrontend(EventLoops loops, ByteBufAllocator allocator, LiveRoutes routes,
      BackendConnector connector, MeshProxyConfig config) {
    MeshProxyConfig.Limits limits = config.limits();
    this.slots = new OpenSlots(limits.connectionsPerPort(), limits.connections());
    Duration idleTimeout = limits.tcpIdleTimeout();
    Duration halfClosedTimeout = limits.tcpHalfClosedTimeout();
    long evictableAfterNanos = limits.evictableAfter().toNanos();
    this.bootstrap = new ServerBootstrap()
        .group(loops.acceptors(), loops.workers())
        .channel(loops.transport().serverSocketChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.ALLOCATOR, allocator)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.ALLOCATOR, allocator)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            PublishedPort port = ch.attr(PublishedPort.ATTR).get();
            ClientConnections open = ch.attr(ClientConnections.ATTR).get();
            if (!slots.tryAcquire(port)) {
              if (!open.evictQuietest(evictableAfterNanos)) {
                refuse(ch, port);
                return;
              }
              port.stats().onEvicted();
            }
            ClientConnection client = new ClientConnection(ch);
            open.add(client);
            ch.closeFuture().addListener((ChannelFutureListener) closed -> {
              open.remove(client);
              if (client.giveUpSlot()) {
                slots.release(port);
              }
            });
            loops.transport().prepare(ch);
            ch.pipeline().addLast("activity", client);
            ch.pipeline().addLast("idle", QuietTimeout.idle(idleTimeout, port.stats()));
            ch.pipeline().addLast("connect", new TcpConnectHandler(routes, connector, halfClosedTimeout));
          }
        });
  }

  private void refuse(Channel ch, PublishedPort port) {
    port.stats().onOverLimit();
    if (port.shouldWarn()) {
      log.warn("{}: connection from {} reset: the port or the proxy holds as many connections as "
          + "it may ({} open in all) and none of the port's has been quiet long enough to evict",
          port, ch.remoteAddress(), slots.open());
    }
    ch.config().setOption(ChannelOption.SO_LINGER, 0);
    ch.close();
  }

  /** TCP connections open now, all ports together. */
  public int openConnections() {
    return slots.open();
  }

  @Override
  public Protocol protocol() {
    return Protocol.PROTOCOL_TCP;
  }

  @Override
  public ChannelFuture bind(InetSocketAddress address, PublishedPort port) {
    return bootstrap.clone()
        .childAttr(PublishedPort.ATTR, port)
        .childAttr(ClientConnections.ATTR, new ClientConnections())
        .bind(address);
  }
}
