package io.shoal.meshproxy.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.ProxyProtocol;
import io.shoal.meshproxy.proxyprotocol.ProxyProtocolHeader;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * What a UDP flow puts in front of each datagram it sends to its task: nothing, or the PROXY
 * protocol v2 header naming the client and the published address. UDP has no connection whose
 * start could carry the header once, so every datagram carries its own, as HAProxy's spec and
 * BIND 9's PROXYv2-over-UDP transport do. Encoded once per flow: both addresses are fixed.
 */
final class ProxyHeaderPrefix {
  // The largest UDP payloads: 65,535 less the IPv4 and UDP headers; IPv6's length field
  // leaves out its own header, so only UDP's 8 bytes come off.
  static final int MAX_IPV4_PAYLOAD = 65_507;
  static final int MAX_IPV6_PAYLOAD = 65_527;

  /** Datagrams pass as the client sent them. */
  static final ProxyHeaderPrefix NONE = new ProxyHeaderPrefix(new byte[0], MAX_IPV4_PAYLOAD);

  private final byte[] header;
  private final int maxDatagram;

  private ProxyHeaderPrefix(byte[] header, int maxDatagram) {
    this.header = header;
    this.maxDatagram = maxDatagram;
  }

  /**
   * The v2 header of a flow from {@code client} to {@code published} (this node's address and
   * port), bound for {@code backend}, whose address family limits the datagram's size.
   */
  static ProxyHeaderPrefix v2(
      InetSocketAddress client, InetSocketAddress published, InetSocketAddress backend) {
    ByteBuf encoded = ProxyProtocolHeader.encode(ProxyProtocol.PROXY_PROTOCOL_V2,
        Protocol.PROTOCOL_UDP, client, published, UnpooledByteBufAllocator.DEFAULT);
    try {
      // An unresolved backend gets the smaller limit: safe for either family.
      int max = backend.getAddress() instanceof Inet6Address
          ? MAX_IPV6_PAYLOAD : MAX_IPV4_PAYLOAD;
      return new ProxyHeaderPrefix(ByteBufUtil.getBytes(encoded), max);
    } finally {
      encoded.release();
    }
  }

  /**
   * The datagram for the task: the header, then {@code payload}, in one buffer. Takes over
   * {@code payload}. Returns null, having released it, when the two would not fit in one
   * datagram: the send would fail with EMSGSIZE, and a failed send ends the flow.
   */
  ByteBuf prepend(ByteBuf payload, ByteBufAllocator alloc) {
    if (header.length == 0) {
      return payload;
    }
    int size = header.length + payload.readableBytes();
    try {
      if (size > maxDatagram) {
        return null;
      }
      // One copy into one buffer, so each datagram is one plain send on either transport.
      return alloc.ioBuffer(size).writeBytes(header).writeBytes(payload);
    } finally {
      payload.release();
    }
  }
}
