package io.shoal.meshproxy.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.shoal.meshproxy.MeshProxyConfig;
import io.shoal.meshproxy.ports.PublishedPort;
import io.shoal.meshproxy.routes.Backend;
import io.shoal.meshproxy.routes.Route;
import io.shoal.meshproxy.transport.Transport;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks backends in round robin per published port. A backend that refuses (or does not accept
 * within the connect timeout) is counted and skipped, and the next one is tried, each at most
 * once per client connection; only when all have failed is the client given up.
 */
@Singleton
public final class RoundRobinConnector implements BackendConnector {
  private static final Logger log = LoggerFactory.getLogger(RoundRobinConnector.class);

  private final Transport transport;
  private final Bootstrap template;

  @Inject
  public RoundRobinConnector(Transport transport, ByteBufAllocator allocator, MeshProxyConfig config) {
    this.transport = transport;
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
    List<Backend> backends = route.backends();
    attempt(client, route, port, port.nextIndex(backends.size()), 0, result);
    return result;
  }

  private void attempt(
      Channel client, Route route, PublishedPort port, int first, int tried, Promise<Channel> result) {
    List<Backend> backends = route.backends();
    Backend backend = backends.get((first + tried) % backends.size());
    ChannelFuture connected = template.clone(client.eventLoop())
        .handler(new RelayHandler(client, port.stats()::addSent))
        .connect(backend.address());
    connected.addListener((ChannelFutureListener) done -> {
      if (done.isSuccess()) {
        transport.prepare(done.channel());
        result.trySuccess(done.channel());
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
