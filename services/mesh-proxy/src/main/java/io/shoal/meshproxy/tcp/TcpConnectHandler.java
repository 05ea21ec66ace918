package io.shoal.meshproxy.tcp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import io.shoal.meshproxy.ports.PublishedPort;
import io.shoal.meshproxy.routes.LiveRoutes;
import io.shoal.meshproxy.routes.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of an accepted client connection: reads the route table once, connects a
 * backend, then replaces itself with a {@link RelayHandler} and starts reading the client. A
 * connection to a port without backends is closed at once. Nothing is asked of the client
 * before its backend is connected (AUTO_READ is off); what the transport delivers anyway (epoll
 * reads when a client sends its data and FIN at once) is kept and relayed once connected.
 *
 * <p>Threading: the fields are only touched on the client's event loop, where the connector's
 * future completes too.
 *
 * <p>The connector sends the PROXY protocol header, when the route has one, before this handler
 * relays the first client byte.
 */
public final class TcpConnectHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TcpConnectHandler.class);

  private final LiveRoutes routes;
  private final BackendConnector connector;
  private final Duration halfClosedTimeout;
  private final List<Object> early = new ArrayList<>();
  private boolean inputShutdown;

  /** Without a bound on half-closed connections (for tests of the connect step alone). */
  public TcpConnectHandler(LiveRoutes routes, BackendConnector connector) {
    this(routes, connector, null);
  }

  /**
   * @param halfClosedTimeout how long the client side may stay quiet after its FIN (see {@link
   *     RelayHandler}); null for no bound
   */
  public TcpConnectHandler(LiveRoutes routes, BackendConnector connector, Duration halfClosedTimeout) {
    this.routes = routes;
    this.connector = connector;
    this.halfClosedTimeout = halfClosedTimeout;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel client = ctx.channel();
    PublishedPort port = client.attr(PublishedPort.ATTR).get();
    port.stats().onAccepted();
    client.closeFuture().addListener((ChannelFutureListener) closed -> port.stats().onClosed());

    Route route = routes.current().route(port.key());
    if (route == null || route.backends().isEmpty()) {
      log.debug("{}: no backend for {}, closing", port, client.remoteAddress());
      port.stats().onRefused();
      client.close();
      return;
    }
    connector.connect(client, route, port).addListener((FutureListener<Channel>) connected -> {
      if (!connected.isSuccess()) {
        port.stats().onRefused();
        client.close();
        return;
      }
      Channel backend = connected.getNow();
      if (!client.isActive()) {
        backend.close();
        return;
      }
      ChannelPipeline pipeline = ctx.pipeline();
      pipeline.replace(this, "relay",
          new RelayHandler(backend, port.stats()::addReceived, halfClosedTimeout, port.stats()));
      for (Object msg : early) {
        pipeline.fireChannelRead(msg);
      }
      early.clear();
      if (inputShutdown) {
        pipeline.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
      } else {
        client.read();
      }
    });
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    early.add(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      inputShutdown = true;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    early.forEach(ReferenceCountUtil::release);
    early.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    RelayHandler.logError(ctx, cause);
    ctx.close();
  }
}
