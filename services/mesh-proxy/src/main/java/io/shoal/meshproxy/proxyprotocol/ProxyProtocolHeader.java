package io.shoal.meshproxy.proxyprotocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.ProxyProtocol;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the PROXY protocol header (HAProxy's spec, proxy-protocol.txt, versions 1 and 2) that
 * tells a backend where its client really comes from, which the routing mesh would otherwise
 * hide: the backend sees the proxy's address as its peer.
 *
 * <p>Written by hand rather than with netty-codec-haproxy: two small fixed formats, and one
 * dependency fewer on the data path.
 *
 * <pre>
 * v1: "PROXY TCP4 203.0.113.7 127.0.0.2 51234 8080\r\n"  (TCP6 for IPv6, UNKNOWN if mixed);
 *     TCP only: the spec has no v1 form for UDP
 * v2: 12-byte signature, 0x21 (v2, PROXY), address family and transport (0x11 TCP/IPv4,
 *     0x21 TCP/IPv6, 0x12 UDP/IPv4, 0x22 UDP/IPv6), length, source and destination
 *     addresses, source and destination ports
 * </pre>
 */
public final class ProxyProtocolHeader {
  static final byte[] V2_SIGNATURE = {
      0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
  private static final int V2_PROXY_COMMAND = 0x21;
  // The family byte: address family in the high nibble, transport in the low one.
  private static final int V2_INET = 0x10;
  private static final int V2_INET6 = 0x20;
  private static final int V2_STREAM = 0x01;
  private static final int V2_DGRAM = 0x02;
  private static final int V2_UNSPEC = 0x00;

  private ProxyProtocolHeader() {}

  /**
   * The header for a client at {@code source} that reached {@code destination} (the published
   * address on this node) over {@code transport}.
   *
   * @throws IllegalArgumentException for NONE or UNSPECIFIED (there is no header to send), for
   *     v1 on UDP (v1 has no UDP form), and for a transport other than TCP or UDP
   */
  public static ByteBuf encode(ProxyProtocol version, Protocol transport,
      InetSocketAddress source, InetSocketAddress destination, ByteBufAllocator alloc) {
    return switch (version) {
      case PROXY_PROTOCOL_V1 -> v1(transport, source, destination, alloc);
      case PROXY_PROTOCOL_V2 -> v2(transport, source, destination, alloc);
      default -> throw new IllegalArgumentException("no PROXY protocol header for " + version);
    };
  }

  private static ByteBuf v1(Protocol transport, InetSocketAddress source,
      InetSocketAddress destination, ByteBufAllocator alloc) {
    if (transport != Protocol.PROTOCOL_TCP) {
      throw new IllegalArgumentException(
          "PROXY protocol v1 has no form for " + transport + " (v2 has)");
    }
    InetAddress src = source.getAddress();
    InetAddress dst = destination.getAddress();
    String line;
    if (src instanceof Inet4Address && dst instanceof Inet4Address) {
      line = "PROXY TCP4 " + addresses(source, destination);
    } else if (src instanceof Inet6Address && dst instanceof Inet6Address) {
      line = "PROXY TCP6 " + addresses(source, destination);
    } else {
      line = "PROXY UNKNOWN\r\n";
    }
    ByteBuf buf = alloc.buffer(line.length());
    buf.writeCharSequence(line, StandardCharsets.US_ASCII);
    return buf;
  }

  private static String addresses(InetSocketAddress source, InetSocketAddress destination) {
    return text(source.getAddress()) + " " + text(destination.getAddress())
        + " " + source.getPort() + " " + destination.getPort() + "\r\n";
  }

  /**
   * The address without an IPv6 zone: Java writes a link-local client as "fe80::1%eth0", a form
   * the spec does not have and HAProxy and nginx refuse (found by ProxyProtocolFuzzTest).
   */
  private static String text(InetAddress address) {
    String text = address.getHostAddress();
    int zone = text.indexOf('%');
    return zone < 0 ? text : text.substring(0, zone);
  }

  private static ByteBuf v2(Protocol transport, InetSocketAddress source,
      InetSocketAddress destination, ByteBufAllocator alloc) {
    int transportNibble = v2Transport(transport);
    byte[] src = source.getAddress().getAddress();
    byte[] dst = destination.getAddress().getAddress();
    ByteBuf buf = alloc.buffer(16 + 36);
    buf.writeBytes(V2_SIGNATURE);
    buf.writeByte(V2_PROXY_COMMAND);
    if (src.length != dst.length) {
      // Mixed families: the spec's AF_UNSPEC, a header without addresses.
      buf.writeByte(V2_UNSPEC);
      buf.writeShort(0);
      return buf;
    }
    buf.writeByte((src.length == 4 ? V2_INET : V2_INET6) | transportNibble);
    buf.writeShort(2 * src.length + 4);
    buf.writeBytes(src);
    buf.writeBytes(dst);
    buf.writeShort(source.getPort());
    buf.writeShort(destination.getPort());
    return buf;
  }

  private static int v2Transport(Protocol transport) {
    return switch (transport) {
      case PROTOCOL_TCP -> V2_STREAM;
      case PROTOCOL_UDP -> V2_DGRAM;
      default -> throw new IllegalArgumentException("no PROXY protocol header for " + transport);
    };
  }
}
