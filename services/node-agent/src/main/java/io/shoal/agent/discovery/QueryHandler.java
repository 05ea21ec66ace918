package io.shoal.agent.discovery;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.shoal.agent.discovery.NameTable.Addresses;
import io.shoal.agent.discovery.NameTable.Answer;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers each query: a cluster name from the current {@link NameTable} (read once per
 * query), anything else through the {@link Forwarder}. Only standard queries with one question
 * of class IN are looked up; other opcodes get NOTIMP, other question counts FORMERR.
 *
 * <p>Threading: shared by every listener of the server, all on one event loop, so
 * {@code rotation} needs no lock.
 */
@Sharable
final class QueryHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(QueryHandler.class);

  private final AtomicReference<NameTable> table;
  private final Forwarder forwarder;
  private final DnsMetrics metrics;
  private int rotation;

  QueryHandler(AtomicReference<NameTable> table, Forwarder forwarder, DnsMetrics metrics) {
    this.table = table;
    this.forwarder = forwarder;
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ReceivedQuery received)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      answer(ctx, received);
    } finally {
      received.release();
    }
  }

  private void answer(ChannelHandlerContext ctx, ReceivedQuery received) {
    DatagramDnsQuery query = received.query();
    InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
    if (!DnsOpCode.QUERY.equals(query.opCode())) {
      ctx.writeAndFlush(Replies.error(query, local, DnsResponseCode.NOTIMP));
      return;
    }
    if (query.count(DnsSection.QUESTION) != 1) {
      ctx.writeAndFlush(Replies.error(query, local, DnsResponseCode.FORMERR));
      return;
    }
    DnsQuestion question = query.recordAt(DnsSection.QUESTION);
    Answer answer = question.dnsClass() == DnsRecord.CLASS_IN
        ? table.get().resolve(query.sender().getAddress(), question.name(), question.type())
        : NameTable.Forward.FORWARD;
    if (answer instanceof Addresses addresses) {
      int limit = ctx.channel() instanceof DatagramChannel ? Replies.udpLimit(query) : Replies.TCP_LIMIT;
      ctx.writeAndFlush(Replies.addresses(query, local, ordered(addresses), limit));
    } else {
      forwarder.forward(ctx.channel(), received);
    }
  }

  /** Task addresses start one further at each answer, so first-address clients spread. */
  private List<Inet4Address> ordered(Addresses answer) {
    List<Inet4Address> addresses = answer.addresses();
    if (!answer.spread() || addresses.size() < 2) {
      return addresses;
    }
    int start = Math.floorMod(rotation++, addresses.size());
    List<Inet4Address> rotated = new ArrayList<>(addresses.size());
    rotated.addAll(addresses.subList(start, addresses.size()));
    rotated.addAll(addresses.subList(0, start));
    return rotated;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (ctx.channel() instanceof DatagramChannel) {
      // A listener serves every client: it stays open whatever one datagram did.
      log.debug("DNS listener {}: {}", ctx.channel().localAddress(), cause.toString());
      return;
    }
    if (cause instanceof TooLongFrameException) {
      metrics.dropped("too_large", ctx.channel().remoteAddress());
    } else {
      log.debug("DNS connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }
}
