package io.shoal.meshproxy.tcp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.shoal.api.v1.Protocol;
import io.shoal.meshproxy.ports.Frontend;
import io.shoal.meshproxy.ports.PublishedPort;
import io.shoal.meshproxy.routes.LiveRoutes;
import io.shoal.meshproxy.transport.EventLoops;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;

/**
 * Serves TCP published ports: one server bootstrap for all of them, each listener's connections
 * carrying their {@link PublishedPort} so they find their route.
 */
@Singleton
public final class TcpFrontend implements Frontend {
  private final ServerBootstrap bootstrap;

  @Inject
  public TcpFrontend(
      EventLoops loops, ByteBufAllocator allocator, LiveRoutes routes, BackendConnector connector) {
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
            loops.transport().prepare(ch);
            ch.pipeline().addLast("connect", new TcpConnectHandler(routes, connector));
          }
        });
  }

  @Override
  public Protocol protocol() {
    return Protocol.PROTOCOL_TCP;
  }

  @Override
  public ChannelFuture bind(InetSocketAddress address, PublishedPort port) {
    return bootstrap.clone().childAttr(PublishedPort.ATTR, port).bind(address);
  }
}
