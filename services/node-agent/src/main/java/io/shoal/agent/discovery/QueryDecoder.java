package io.shoal.agent.discovery;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's query decoder that also keeps the query's bytes ({@link ReceivedQuery}), drops
 * queries over {@value #MAX_QUERY} bytes and anything that is not a DNS query (cut short, or a
 * response: answering those could loop two servers), counting both. One per channel.
 */
final class QueryDecoder extends DatagramDnsQueryDecoder {
  /** RFC 1035's UDP limit; a question and EDNS options fit in it many times over. */
  static final int MAX_QUERY = 512;

  private final DnsMetrics metrics;

  QueryDecoder(DnsMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
    ByteBuf content = packet.content();
    if (content.readableBytes() > MAX_QUERY) {
      metrics.dropped("too_large", packet.sender());
      return;
    }
    // Decoding moves the content's reader index; the forwarded bytes are a view of their own.
    ByteBuf raw = content.retainedDuplicate();
    List<Object> decoded = new ArrayList<>(1);
    try {
      super.decode(ctx, packet, decoded);
    } catch (Exception e) {
      // Netty throws CorruptedFrameException for a response, IndexOutOfBoundsException for a
      // message cut short, and others for bad names: all are dropped alike.
      raw.release();
      metrics.dropped("malformed", packet.sender());
      return;
    }
    out.add(new ReceivedQuery((DatagramDnsQuery) decoded.get(0), raw));
  }
}
