package io.shoal.meshproxy.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.ProxyProtocol;
import io.shoal.meshproxy.MeshProxyConfig;
import io.shoal.meshproxy.balance.BackendChooser;
import io.shoal.meshproxy.balance.BackendConnections;
import io.shoal.meshproxy.ports.PublishedPort;
import io.shoal.meshproxy.proxyprotocol.ProxyProtocolHeader;
import io.shoal.meshproxy.routes.Backend;
import io.shoal.meshproxy.routes.Route;
import io.shoal.meshproxy.transport.Transport;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects a client to a backend of its route: the one the {@link BackendChooser} picks first
 * (round robin or least-conn), then, when it refuses or does not accept within the connect
 * timeout, the next ones in table order, each at most once per client connection; only when
 * all have failed is the client given up. A connected backend is counted in
 * {@link BackendConnections} (least-conn, draining) and, when the route asks for it, receives
 * the PROXY protocol header with the client's address before any byte of the client.
 */
@Singleton
public final class BalancingConnector implements BackendConnector {
  private static final Logger log = LoggerFactory.getLogger(BalancingConnector.class);

  private final Transport transport;
  private final Bootstrap template;
  private final BackendChooser chooser;
  private final BackendConnections connections;
  private final Duration halfClosedTimeout;

  @Inject
  public BalancingConnector(Transport transport, ByteBufAllocator allocator,
      MeshProxyConfig config, BackendChooser chooser, BackendConnections connections) {
    this.transport = transport;
    this.chooser = chooser;
    this.connections = connections;
    this.halfClosedTimeout = config.limits().tcpHalfClosedTimeout();
    this.template = new Bootstrap()
        .channel(transport.socketChannel())
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(ChannelOption.ALLOCATOR, allocator)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) config.backendConnectTimeout().toMillis());
  }

  @Override
  public Future<Channel> connect(Channel client, Route route, PublishedPort port) {
    Promise<Channel> result = client.eventLoop().newPromise();
    attempt(client, route, port, chooser.first(route, port), 0, result);
    return result;
  }

  private void attempt(
      Channel client, Route route, PublishedPort port, int first, int tried, Promise<Channel> result) {
    List<Backend> backends = route.backends();
    Backend backend = backends.get((first + tried) % backends.size());
    long start = System.nanoTime();
    ChannelFuture connected = template.clone(client.eventLoop())
        .handler(new RelayHandler(client, port.stats()::addSent, halfClosedTimeout, port.stats()))
        .connect(backend.address());
    connected.addListener((ChannelFutureListener) done -> {
      if (done.isSuccess()) {
        port.stats().onBackendConnected(System.nanoTime() - start);
        Channel channel = done.channel();
        transport.prepare(channel);
        connections.add(backend.taskId(), channel);
        if (route.proxyProtocol() != ProxyProtocol.PROXY_PROTOCOL_NONE) {
          channel.writeAndFlush(ProxyProtocolHeader.encode(route.proxyProtocol(),
              Protocol.PROTOCOL_TCP, (InetSocketAddress) client.remoteAddress(),
              (InetSocketAddress) client.localAddress(), channel.alloc()));
        }
        result.trySuccess(channel);
        return;
      }
      port.stats().onConnectError();
      log.debug("{}: backend {} of service {} failed: {}",
          port, backend, route.serviceName(), done.cause().toString());
      if (tried + 1 < backends.size() && client.isActive()) {
        attempt(client, route, port, first, tried + 1, result);
      } else {
        if (port.shouldWarn()) {
          log.warn("{}: no backend of service {} accepted a connection ({} tried; last: {})",
              port, route.serviceName(), tried + 1, done.cause().toString());
        }
        result.tryFailure(done.cause());
      }
    });
  }
}
