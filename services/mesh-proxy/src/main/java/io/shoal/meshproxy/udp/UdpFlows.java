package io.shoal.meshproxy.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import io.shoal.api.v1.ProxyProtocol;
import io.shoal.meshproxy.balance.BackendChooser;
import io.shoal.meshproxy.balance.BackendConnections;
import io.shoal.meshproxy.ports.OpenSlots;
import io.shoal.meshproxy.ports.PublishedPort;
import io.shoal.meshproxy.routes.Backend;
import io.shoal.meshproxy.routes.LiveRoutes;
import io.shoal.meshproxy.routes.Route;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of one published UDP port's datagram channel: keeps a {@link UdpFlow} per client
 * address and relays datagrams both ways.
 *
 * <ul>
 *   <li>A client's first datagram reads the route table once and opens its flow to the backend
 *       the {@link BackendChooser} picks (round robin or least-conn); later datagrams of the
 *       client follow it, so a conversation stays on one task.
 *   <li>When the port asks for the PROXY protocol (v2), each datagram to the task carries the
 *       header with the client's address; the task's replies come back without one.
 *   <li>The backend's replies leave from the published port to the client, as if the proxy were
 *       the task.
 *   <li>A flow ends after the idle timeout without a datagram either way, when the backend
 *       answers with ICMP port unreachable (the next datagram of the client opens a new flow to
 *       the next backend), when its task is drained, or when the port is unpublished.
 *   <li>Each flow holds a socket, and a client address costs a spoofer nothing, so flows are
 *       capped per port and for the proxy ({@link OpenSlots}). A new client finding them full
 *       evicts the flow whose client has been silent longest, if that is at least
 *       {@code --evict-quiet-after-ms} (a second by default: a finished exchange, or a source
 *       that never follows up); otherwise its datagram is dropped. Both are counted; a
 *       conversation in progress keeps its flow.
 * </ul>
 *
 * <p>Threading: every backend channel is registered on this channel's event loop, so the flow
 * map needs no lock.
 */
final class UdpFlows extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger log = LoggerFactory.getLogger(UdpFlows.class);

  private final PublishedPort port;
  private final LiveRoutes routes;
  private final BackendChooser chooser;
  private final BackendConnections connections;
  private final Bootstrap backends;
  private final Duration idleTimeout;
  private final long evictableAfterNanos;
  private final OpenSlots slots;
  /** In access order: a client's datagram moves its flow last, so the first is the quietest. */
  private final LinkedHashMap<InetSocketAddress, UdpFlow> flows = new LinkedHashMap<>(16, 0.75f, true);
  private ScheduledFuture<?> sweeper;

  UdpFlows(PublishedPort port, LiveRoutes routes, BackendChooser chooser,
      BackendConnections connections, Bootstrap backends, Duration idleTimeout,
      Duration evictableAfter, OpenSlots slots) {
    super(false);
    this.slots = slots;
    // A flow quiet for the idle timeout is ended anyway: never wait longer than that to evict.
    this.evictableAfterNanos = Math.min(evictableAfter.toNanos(), idleTimeout.toNanos());
    this.port = port;
    this.routes = routes;
    this.chooser = chooser;
    this.connections = connections;
    this.backends = backends;
    this.idleTimeout = idleTimeout;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long period = Math.max(100, idleTimeout.toMillis() / 4);
    sweeper = ctx.executor().scheduleAtFixedRate(
        this::closeIdleFlows, period, period, TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    InetSocketAddress client = packet.sender();
    UdpFlow flow = flows.get(client);
    if (flow == null) {
      flow = open(ctx.channel(), client);
      if (flow == null) {
        packet.release();
        return;
      }
    }
    int bytes = packet.content().readableBytes();
    port.stats().addReceived(bytes);
    if (!flow.send(packet.content()) && port.shouldWarn()) {
      log.warn("{}: dropped a datagram of {} bytes from {}: with the PROXY protocol header it"
          + " would exceed the largest UDP datagram", port, bytes, client);
    }
  }

  /**
   * Opens a flow for {@code client}, or returns null when the port has no backend or no room
   * for another flow.
   */
  private UdpFlow open(Channel listener, InetSocketAddress client) {
    Route route = routes.current().route(port.key());
    if (route == null || route.backends().isEmpty()) {
      port.stats().onRefused();
      log.debug("{}: no backend for {}, datagram dropped", port, client);
      return null;
    }
    if (!slots.tryAcquire(port) && !(evictQuietest() && slots.tryAcquire(port))) {
      port.stats().onOverLimit();
      if (port.shouldWarn()) {
        log.warn("{}: datagram from {} dropped: the port or the proxy holds as many UDP flows as it"
            + " may ({} open in all) and none has been quiet for {} ms", port, client, slots.open(),
            TimeUnit.NANOSECONDS.toMillis(evictableAfterNanos));
      }
      return null;
    }
    Backend backend = route.backends().get(chooser.first(route, port));
    Replies replies = new Replies(listener, client);
    ChannelFuture connected = backends.clone(listener.eventLoop())
        .handler(replies)
        .connect(backend.address());
    UdpFlow flow = new UdpFlow(client, backend, connected,
        prefix(route, listener, client, backend));
    // Set before the loop can deliver a reply: this method runs on that same loop.
    replies.flow = flow;
    flows.put(client, flow);
    port.stats().onAccepted();
    Channel channel = connected.channel();
    connections.add(backend.taskId(), channel);
    channel.closeFuture().addListener((ChannelFutureListener) closed -> forget(flow));
    connected.addListener((ChannelFutureListener) done -> {
      if (!done.isSuccess()) {
        port.stats().onConnectError();
        log.debug("{}: cannot open a flow to {}: {}", port, backend, done.cause().toString());
      }
    });
    return flow;
  }

  /**
   * The header in front of each datagram of a flow: v2 if the port asks for it (the table never
   * gives a UDP route v1). Its destination is the address the port is bound on, this node's.
   */
  private static ProxyHeaderPrefix prefix(
      Route route, Channel listener, InetSocketAddress client, Backend backend) {
    return route.proxyProtocol() == ProxyProtocol.PROXY_PROTOCOL_V2
        ? ProxyHeaderPrefix.v2(client, (InetSocketAddress) listener.localAddress(),
            backend.address())
        : ProxyHeaderPrefix.NONE;
  }

  /** Removes an ended flow and gives back its slot; once, however it ended. */
  private void forget(UdpFlow flow) {
    if (flows.remove(flow.client(), flow)) {
      slots.release(port);
      port.stats().onClosed();
    }
  }

  /**
   * Ends this port's quietest flow to make room, if its client has been silent long enough;
   * true when it did. (A full proxy can only evict on this port: other ports' flows live on
   * other threads.)
   */
  private boolean evictQuietest() {
    Iterator<UdpFlow> quietest = flows.values().iterator();
    if (!quietest.hasNext()) {
      return false;
    }
    UdpFlow flow = quietest.next();
    if (!flow.idleSince(System.nanoTime() - evictableAfterNanos)) {
      return false;
    }
    port.stats().onEvicted();
    log.debug("{}: flow of {} evicted to make room", port, flow.client());
    forget(flow);
    flow.close();
    return true;
  }

  private void closeIdleFlows() {
    long idleBefore = System.nanoTime() - idleTimeout.toNanos();
    List<UdpFlow> idle = new ArrayList<>();
    for (UdpFlow flow : flows.values()) {
      if (flow.idleSince(idleBefore)) {
        idle.add(flow);
      }
    }
    idle.forEach(UdpFlow::close);
  }

  /** The port is no longer served: every flow ends with it. */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (sweeper != null) {
      sweeper.cancel(false);
    }
    new ArrayList<>(flows.values()).forEach(UdpFlow::close);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A datagram socket stays usable after an error (e.g. a send to an unreachable client).
    log.debug("{}: {}", port, cause.toString());
  }

  /** Relays a backend's datagrams to the flow's client through the published port. */
  private final class Replies extends SimpleChannelInboundHandler<DatagramPacket> {
    private final Channel listener;
    private final InetSocketAddress client;
    private UdpFlow flow;

    Replies(Channel listener, InetSocketAddress client) {
      super(false);
      this.listener = listener;
      this.client = client;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket reply) {
      long firstReply = flow.onReply();
      if (firstReply >= 0) {
        port.stats().onBackendConnected(firstReply);
      }
      if (!listener.isActive() || !listener.isWritable()) {
        reply.release();
        return;
      }
      port.stats().addSent(reply.content().readableBytes());
      listener.writeAndFlush(new DatagramPacket(reply.content(), client), listener.voidPromise());
    }

    /** ICMP port unreachable and the like: this backend is gone, the next datagram moves on. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      port.stats().onConnectError();
      log.debug("{}: flow of {} to {} failed: {}", port, client, flow.backend(),
          cause.toString());
      ctx.close();
    }
  }
}
