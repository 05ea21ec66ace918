package io.shoal.agent.discovery;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An upstream name server for tests: answers every A query with {@link #ADDRESS} (TTL 60), or,
 * silent, reads nothing at all (no answer, no ICMP error).
 */
final class StubUpstream implements AutoCloseable {
  static final String ADDRESS = "192.0.2.7";

  private final DatagramSocket socket;
  private final List<byte[]> received = new CopyOnWriteArrayList<>();
  private final Thread thread;

  private StubUpstream(String address, boolean silent) throws IOException {
    this.socket = new DatagramSocket(new InetSocketAddress(address, 0));
    this.thread = new Thread(this::serve, "stub-upstream-" + address);
    thread.setDaemon(true);
    if (!silent) {
      thread.start();
    }
  }

  static StubUpstream answering(String address) throws IOException {
    return new StubUpstream(address, false);
  }

  static StubUpstream silent(String address) throws IOException {
    return new StubUpstream(address, true);
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** The queries it answered, as received. */
  List<byte[]> received() {
    return received;
  }

  private void serve() {
    byte[] buffer = new byte[65_535];
    while (!socket.isClosed()) {
      java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        byte[] query = java.util.Arrays.copyOf(buffer, packet.getLength());
        received.add(query);
        byte[] answer = answer(query, (InetSocketAddress) packet.getSocketAddress());
        socket.send(new java.net.DatagramPacket(answer, answer.length, packet.getSocketAddress()));
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private byte[] answer(byte[] bytes, InetSocketAddress from) throws IOException {
    EmbeddedChannel channel = new EmbeddedChannel(
        new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder());
    try {
      channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes), address(), from));
      DatagramDnsQuery query = channel.readInbound();
      DatagramDnsResponse response = new DatagramDnsResponse(address(), from, query.id());
      response.setRecursionDesired(query.isRecursionDesired()).setRecursionAvailable(true);
      response.addRecord(DnsSection.QUESTION, query.recordAt(DnsSection.QUESTION));
      response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(
          query.recordAt(DnsSection.QUESTION).name(), DnsRecordType.A, 60,
          Unpooled.wrappedBuffer(InetAddress.getByName(ADDRESS).getAddress())));
      query.release();
      channel.writeOutbound(response);
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

  @Override
  public void close() throws InterruptedException {
    socket.close();
    if (thread.isAlive()) {
      thread.join();
    }
  }
}
