package io.shoal.agent.discovery;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Relays queries for names that are not the cluster's to the upstream servers, in order: the
 * query's own bytes go to the first, and its answer, as it came, back to the client (same id,
 * so the client cannot tell). An upstream that has not answered within the timeout, or that
 * refused (ICMP port unreachable), is replaced by the next; when none is left the client gets
 * SERVFAIL.
 *
 * <p>Each forward has its own socket, connected to the upstream: the kernel then drops
 * datagrams from anyone else, and the random source port plus the client's id make a forged
 * answer as hard to slip in as with a stub resolver. At most {@code maxForwards} wait at once;
 * a query beyond is answered SERVFAIL at once and counted.
 *
 * <p>Threading: every channel (listeners and upstream sockets) lives on the one event loop
 * given, and everything here runs on it: no locks.
 */
final class Forwarder {
  /**
   * The largest upstream answer relayed, a common EDNS buffer size; a datagram of more is
   * taken as no answer (the kernel would cut it silently).
   */
  static final int MAX_ANSWER = 4096;

  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final List<InetSocketAddress> upstreams;
  private final long timeoutNanos;
  private final int maxForwards;
  private final DnsMetrics metrics;
  private final Set<Exchange> pending = new HashSet<>();

  Forwarder(EventLoop loop, Class<? extends DatagramChannel> channelClass, DnsServerConfig config,
      DnsMetrics metrics) {
    this.loop = loop;
    this.bootstrap = new Bootstrap().group(loop).channel(channelClass)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_ANSWER + 1));
    this.upstreams = config.upstreams();
    this.timeoutNanos = config.upstreamTimeout().toNanos();
    this.maxForwards = config.maxForwards();
    this.metrics = metrics;
  }

  /** Forwards {@code query}, which came in on {@code client}; takes its own reference. */
  void forward(Channel client, ReceivedQuery query) {
    if (pending.size() >= maxForwards) {
      metrics.servfail("forwards_full", query.query().sender());
      client.writeAndFlush(Replies.error(query.query(),
          (InetSocketAddress) client.localAddress(), DnsResponseCode.SERVFAIL));
      return;
    }
    Exchange exchange = new Exchange(client, query.retain());
    pending.add(exchange);
    exchange.ask(0);
  }

  /** Forwards waiting for an upstream. */
  int pending() {
    return pending.size();
  }

  /** Abandons every forward (no answer goes out); call on the event loop before it stops. */
  void abandonAll() {
    for (Exchange exchange : new ArrayList<>(pending)) {
      exchange.finish(null, false);
    }
  }

  /** One query on its way through the upstreams. */
  private final class Exchange {
    private final Channel client;
    private final ReceivedQuery query;
    private int attempt = -1;
    private Channel upstream;
    private ScheduledFuture<?> timer;

    Exchange(Channel client, ReceivedQuery query) {
      this.client = client;
      this.query = query;
    }

    void ask(int i) {
      if (i >= upstreams.size()) {
        finish(null, true);
        return;
      }
      attempt = i;
      ChannelFuture connected = bootstrap.clone().handler(new UpstreamAnswers(this, i))
          .connect(upstreams.get(i));
      upstream = connected.channel();
      timer = loop.schedule(() -> next(i), timeoutNanos, TimeUnit.NANOSECONDS);
      connected.addListener(done -> {
        if (!done.isSuccess()) {
          next(i);
          return;
        }
        connected.channel().writeAndFlush(query.raw().retainedDuplicate()).addListener(sent -> {
          if (!sent.isSuccess()) {
            next(i);
          }
        });
      });
    }

    /** Upstream {@code i} failed or timed out: the next one, if this is still its turn. */
    void next(int i) {
      if (attempt != i || !pending.contains(this)) {
        return;
      }
      stopAsking();
      ask(i + 1);
    }

    /** A datagram from upstream {@code i}; takes {@code answer}. */
    void answered(int i, ByteBuf answer) {
      if (attempt != i || !pending.contains(this)) {
        answer.release();
        return;
      }
      if (answer.readableBytes() > MAX_ANSWER) {
        answer.release();
        next(i);
        return;
      }
      int at = answer.readerIndex();
      boolean matches = answer.readableBytes() >= 12
          && answer.getUnsignedShort(at) == query.query().id()
          && (answer.getByte(at + 2) & 0x80) != 0;
      if (!matches) {
        // Not the answer to this query (a late one to an earlier query with this socket's
        // port, or a forgery): wait on for the real one.
        answer.release();
        return;
      }
      finish(answer, true);
    }

    /** Ends the exchange with {@code answer}, or with SERVFAIL if null and {@code reply}. */
    void finish(ByteBuf answer, boolean reply) {
      pending.remove(this);
      stopAsking();
      if (answer != null) {
        client.writeAndFlush(new DatagramPacket(answer, query.query().sender()));
      } else if (reply) {
        metrics.servfail("no_answer", query.query().sender());
        client.writeAndFlush(Replies.error(query.query(),
            (InetSocketAddress) client.localAddress(), DnsResponseCode.SERVFAIL));
      }
      query.release();
    }

    private void stopAsking() {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
      if (upstream != null) {
        upstream.close();
        upstream = null;
      }
    }
  }

  /** The handler of one upstream socket. */
  private static final class UpstreamAnswers extends SimpleChannelInboundHandler<DatagramPacket> {
    private final Exchange exchange;
    private final int attempt;

    UpstreamAnswers(Exchange exchange, int attempt) {
      super(false);
      this.exchange = exchange;
      this.attempt = attempt;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      exchange.answered(attempt, packet.content());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // ICMP port unreachable (PortUnreachableException) and the like: no answer will come.
      exchange.next(attempt);
    }
  }
}
