package io.shoal.meshproxy.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.NettyRuntime;
import io.netty.util.concurrent.DefaultThreadFactory;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's event loops: one thread accepting on every listener, and one I/O thread per core
 * carrying both sides of each connection (a backend is connected on its client's loop, so a
 * relay never crosses threads).
 */
@Singleton
public final class EventLoops implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventLoops.class);

  private final Transport transport;
  private final EventLoopGroup acceptors;
  private final EventLoopGroup workers;

  @Inject
  public EventLoops(Transport transport) {
    this.transport = transport;
    this.acceptors = new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("mesh-accept"), transport.ioHandlerFactory());
    this.workers = new MultiThreadIoEventLoopGroup(
        NettyRuntime.availableProcessors(), new DefaultThreadFactory("mesh-io"),
        transport.ioHandlerFactory());
    log.info("data path on the {} transport, {} I/O threads",
        transport.name(), NettyRuntime.availableProcessors());
  }

  public Transport transport() {
    return transport;
  }

  public EventLoopGroup acceptors() {
    return acceptors;
  }

  public EventLoopGroup workers() {
    return workers;
  }

  /** Stops both groups: a short quiet period, then open connections are dropped. */
  @Override
  public void close() {
    var a = acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    var w = workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    a.awaitUninterruptibly(5, TimeUnit.SECONDS);
    w.awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
