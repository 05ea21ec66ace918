package io.shoal.agent.discovery;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.AbstractDnsOptPseudoRrRecord;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A stub resolver for tests: queries from a chosen local address, over UDP or TCP. */
final class DnsTestClient implements AutoCloseable {
  /** Long enough never to fire on a loaded machine when an answer is due. */
  private static final int RECEIVE_TIMEOUT_MILLIS = 10_000;

  private final InetAddress local;
  private final DatagramSocket socket;

  DnsTestClient(String localAddress) throws IOException {
    this.local = InetAddress.getByName(localAddress);
    this.socket = new DatagramSocket(new InetSocketAddress(local, 0));
    socket.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
  }

  /** What a response said. */
  record Reply(int id, DnsResponseCode code, boolean authoritative, boolean truncated,
      List<String> addresses, List<Long> ttls, int size) {}

  Reply query(InetSocketAddress server, String name, DnsRecordType type) throws IOException {
    return query(server, encode(randomId(), name, type, 0));
  }

  Reply query(InetSocketAddress server, byte[] query) throws IOException {
    send(server, query);
    return receive();
  }

  void send(InetSocketAddress server, byte[] query) throws IOException {
    socket.send(new java.net.DatagramPacket(query, query.length, server));
  }

  Reply receive() throws IOException {
    byte[] buffer = new byte[65_535];
    java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
    socket.receive(packet);
    return decode(buffer, packet.getLength());
  }

  /**
   * Sends over a socket connected to {@code server}, so an ICMP port unreachable (nothing
   * listening) comes back as {@code PortUnreachableException} from the receive.
   */
  Reply queryConnected(InetSocketAddress server, String name) throws IOException {
    try (DatagramSocket connected = new DatagramSocket(new InetSocketAddress(local, 0))) {
      connected.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
      connected.connect(server);
      byte[] query = encode(randomId(), name, DnsRecordType.A, 0);
      connected.send(new java.net.DatagramPacket(query, query.length));
      byte[] buffer = new byte[65_535];
      java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
      connected.receive(packet);
      return decode(buffer, packet.getLength());
    }
  }

  Reply queryTcp(InetSocketAddress server, String name, DnsRecordType type) throws IOException {
    byte[] query = encode(randomId(), name, type, 0);
    try (Socket tcp = new Socket()) {
      tcp.bind(new InetSocketAddress(local, 0));
      tcp.connect(server, RECEIVE_TIMEOUT_MILLIS);
      tcp.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
      DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
      out.writeShort(query.length);
      out.write(query);
      out.flush();
      DataInputStream in = new DataInputStream(tcp.getInputStream());
      byte[] answer = new byte[in.readUnsignedShort()];
      in.readFully(answer);
      return decode(answer, answer.length);
    }
  }

  static int randomId() {
    return ThreadLocalRandom.current().nextInt(1, 65_536);
  }

  /** A standard query with recursion desired; with an EDNS OPT record if {@code ednsSize} > 0. */
  static byte[] encode(int id, String name, DnsRecordType type, int ednsSize) {
    EmbeddedChannel channel = new EmbeddedChannel(new DatagramDnsQueryEncoder());
    try {
      DatagramDnsQuery query = new DatagramDnsQuery(null, new InetSocketAddress(0), id);
      query.setRecursionDesired(true);
      query.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, type));
      if (ednsSize > 0) {
        query.addRecord(DnsSection.ADDITIONAL, new AbstractDnsOptPseudoRrRecord(ednsSize) {});
      }
      channel.writeOutbound(query);
      DatagramPacket packet = channel.readOutbound();
      try {
        return ByteBufUtil.getBytes(packet.content());
      } finally {
        packet.release();
      }
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  static Reply decode(byte[] bytes, int length) {
    EmbeddedChannel channel = new EmbeddedChannel(new DatagramDnsResponseDecoder());
    try {
      channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes, 0, length),
          new InetSocketAddress(0), new InetSocketAddress(0)));
      DnsResponse response = channel.readInbound();
      try {
        List<String> addresses = new ArrayList<>();
        List<Long> ttls = new ArrayList<>();
        for (int i = 0, n = response.count(DnsSection.ANSWER); i < n; i++) {
          DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
          if (record.type() == DnsRecordType.A) {
            byte[] address = ByteBufUtil.getBytes(((DnsRawRecord) record).content());
            addresses.add(InetAddress.getByAddress(address).getHostAddress());
            ttls.add(record.timeToLive());
          }
        }
        return new Reply(response.id(), response.code(), response.isAuthoritativeAnswer(),
            response.isTruncated(), addresses, ttls, length);
      } finally {
        response.release();
      }
    } catch (IOException e) {
      throw new IllegalStateException("four bytes are an address", e);
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
