package io.shoal.agent.discovery;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.shoal.api.v1.NetworkMap;
import io.shoal.common.telemetry.Telemetry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS server of the overlay networks on this host: answers the cluster's names from the
 * node's {@link NetworkMap} ({@link NameTable}) and forwards the rest to the upstream servers,
 * over UDP and TCP on the configured port at each address given to {@link #bindAddresses}.
 *
 * <pre>{@code
 * DnsServer dns = new DnsServer(DnsServerConfig.forwardingTo(ResolvConf.nameservers(path)), telemetry);
 * dns.start();
 * dns.update(networkMap);                        // on every NetworkMap
 * dns.bindAddresses(Set.of(gateway1, gateway2)); // when the host's networks change
 * dns.close();
 * }</pre>
 *
 * <p>Threading: one event loop thread carries every listener, connection and forward (a
 * lookup is a few map reads; one thread serves far more queries than a host's tasks make), so
 * the handlers need no locks. {@link #update} and {@link #bindAddresses} may be called from any
 * thread.
 */
public final class DnsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
  /** TCP connections open at once, over every address; more are closed at once. */
  static final int MAX_TCP_CONNECTIONS = 256;
  /** A TCP connection that sends nothing for this long is closed (RFC 7766 asks for seconds). */
  static final int TCP_IDLE_SECONDS = 10;

  private final DnsServerConfig config;
  private final DnsMetrics metrics;
  private final AtomicReference<NameTable> table = new AtomicReference<>(NameTable.EMPTY);
  /** Listeners by address, UDP first then TCP; guarded by this. */
  private final Map<InetAddress, Channel[]> listeners = new HashMap<>();
  private EventLoopGroup group;
  private Forwarder forwarder;
  private Bootstrap udp;
  private ServerBootstrap tcp;

  public DnsServer(DnsServerConfig config, Telemetry telemetry) {
    this.config = config;
    this.metrics = new DnsMetrics(telemetry);
  }

  /** Starts the event loop; no address is served until {@link #bindAddresses}. Once only. */
  public synchronized DnsServer start() {
    if (forwarder != null) {
      throw new IllegalStateException("already started");
    }
    boolean epoll = Epoll.isAvailable();
    if (!epoll) {
      log.warn("epoll transport unavailable ({}); DNS server on NIO", String.valueOf(Epoll.unavailabilityCause()));
    }
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends DatagramChannel> datagrams = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    Class<? extends ServerChannel> servers = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("dns"), io);
    EventLoop loop = group.next();
    forwarder = new Forwarder(loop, datagrams, config, metrics);
    QueryHandler queries = new QueryHandler(table, forwarder, metrics);
    udp = new Bootstrap().group(loop).channel(datagrams)
        // One byte over the limit, so an oversized query is seen (and dropped) as such.
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(QueryDecoder.MAX_QUERY + 1))
        .handler(new ChannelInitializer<DatagramChannel>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            ch.pipeline().addLast(new ResponseEncoder(), new QueryDecoder(metrics), queries);
          }
        });
    ConnectionLimit connections = new ConnectionLimit(metrics);
    tcp = new ServerBootstrap().group(loop, loop).channel(servers)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(
                connections,
                new ReadTimeoutHandler(TCP_IDLE_SECONDS),
                new LengthFieldPrepender(2),
                new LengthFieldBasedFrameDecoder(2 + QueryDecoder.MAX_QUERY, 0, 2, 0, 2),
                new StreamAsDatagrams(),
                new ResponseEncoder(),
                new QueryDecoder(metrics),
                queries);
          }
        });
    log.info("DNS server on the {} transport, port {}, forwarding to {}",
        epoll ? "epoll" : "nio", config.port(), config.upstreams());
    return this;
  }

  /** Answers the next queries from {@code map}; earlier queries keep the table they read. */
  public void update(NetworkMap map) {
    table.set(NameTable.of(map));
  }

  /**
   * Serves exactly {@code addresses} from now on: listeners at addresses no longer given are
   * closed, new ones opened. An address that cannot be bound (not on this host yet, or the
   * port taken) is logged and left out; the next call tries it again. Returns once every
   * listener is open or closed.
   */
  public synchronized void bindAddresses(Set<? extends InetAddress> addresses) {
    if (group == null) {
      throw new IllegalStateException("not running");
    }
    for (InetAddress gone : new HashSet<>(listeners.keySet())) {
      if (!addresses.contains(gone)) {
        close(listeners.remove(gone));
      }
    }
    for (InetAddress address : addresses) {
      if (!listeners.containsKey(address)) {
        Channel[] opened = open(new InetSocketAddress(address, config.port()));
        if (opened != null) {
          listeners.put(address, opened);
        }
      }
    }
  }

  /** The addresses served now. */
  public synchronized Set<InetAddress> boundAddresses() {
    return Set.copyOf(listeners.keySet());
  }

  private Channel[] open(InetSocketAddress at) {
    ChannelFuture datagrams = udp.bind(at).awaitUninterruptibly();
    if (!datagrams.isSuccess()) {
      log.warn("DNS server cannot listen on UDP {}: {}", at, datagrams.cause().toString());
      return null;
    }
    ChannelFuture stream = tcp.bind(at).awaitUninterruptibly();
    if (!stream.isSuccess()) {
      log.warn("DNS server cannot listen on TCP {}: {}", at, stream.cause().toString());
      datagrams.channel().close().awaitUninterruptibly();
      return null;
    }
    log.info("DNS server listening on {}", at);
    return new Channel[] {datagrams.channel(), stream.channel()};
  }

  private static void close(Channel[] channels) {
    for (Channel channel : channels) {
      channel.close().awaitUninterruptibly();
    }
  }

  DnsMetrics metrics() {
    return metrics;
  }

  /** Forwards waiting for an upstream, read on the event loop. */
  int pendingForwards() {
    return group.submit(forwarder::pending).syncUninterruptibly().getNow();
  }

  /** Closes every listener, drops the forwards waiting, and stops the event loop. */
  @Override
  public synchronized void close() {
    if (group == null) {
      return;
    }
    listeners.values().forEach(DnsServer::close);
    listeners.clear();
    group.submit(forwarder::abandonAll).awaitUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    group = null;
  }

  /**
   * Closes TCP connections beyond {@link #MAX_TCP_CONNECTIONS}: each holds a socket and a
   * client costs nothing to open many. Counted on the event loop, so a plain int.
   */
  @Sharable
  private static final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private final DnsMetrics metrics;
    private int open;

    ConnectionLimit(DnsMetrics metrics) {
      this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      open++;
      if (open > MAX_TCP_CONNECTIONS) {
        metrics.dropped("tcp_full", ctx.channel().remoteAddress());
        ctx.close();
        return;
      }
      ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      open--;
      ctx.fireChannelInactive();
    }
  }
}
