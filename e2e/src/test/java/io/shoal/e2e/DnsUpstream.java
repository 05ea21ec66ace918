package io.shoal.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The lab hosts' resolver for the tests (the machine's own is not reachable from the lab): answers
 * {@value #NAME} with {@value #ADDRESS} and every other name NXDOMAIN, on the lab bridge's address.
 * The agents forward to it the names that are not the cluster's, as they would to the host's.
 */
final class DnsUpstream implements AutoCloseable {
  static final String NAME = "outside.shoal.test";
  static final String ADDRESS = "192.0.2.10";

  private final DatagramSocket socket;
  private final Thread thread;

  DnsUpstream(String bindAddress) {
    try {
      socket = new DatagramSocket(new InetSocketAddress(bindAddress, 0));
    } catch (SocketException e) {
      throw new IllegalStateException("cannot bind a DNS upstream on " + bindAddress, e);
    }
    thread = new Thread(this::serve, "dns-upstream");
    thread.setDaemon(true);
    thread.start();
  }

  /** {@code HOST:PORT}, for the agents' --dns-upstream. */
  String address() {
    return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  private void serve() {
    byte[] buffer = new byte[512];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        byte[] answer = answer(ByteBuffer.wrap(packet.getData(), 0, packet.getLength()));
        socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
      } catch (IOException | RuntimeException e) {
        if (socket.isClosed()) {
          return;
        }
        System.err.println("dns-upstream: dropped a query: " + e);
      }
    }
  }

  /** One question, echoed; an A answer for NAME, else NXDOMAIN. */
  private static byte[] answer(ByteBuffer query) {
    int length = query.remaining();
    byte[] in = new byte[length];
    query.get(in);
    int pos = 12;
    StringBuilder name = new StringBuilder();
    while (in[pos] != 0) {
      int label = in[pos] & 0xff;
      name.append(name.length() == 0 ? "" : ".").append(new String(in, pos + 1, label, StandardCharsets.US_ASCII));
      pos += label + 1;
    }
    int questionEnd = pos + 5;
    int type = ((in[pos + 1] & 0xff) << 8) | (in[pos + 2] & 0xff);
    boolean known = name.toString().toLowerCase(Locale.ROOT).equals(NAME);
    boolean withAnswer = known && type == 1;
    ByteBuffer out = ByteBuffer.allocate(questionEnd + (withAnswer ? 16 : 0));
    out.put(in, 0, 2); // id
    out.putShort((short) (0x8180 | (known ? 0 : 3))); // response, RD+RA, NOERROR or NXDOMAIN
    out.putShort((short) 1).putShort((short) (withAnswer ? 1 : 0)).putShort((short) 0).putShort((short) 0);
    out.put(in, 12, questionEnd - 12);
    if (withAnswer) {
      out.putShort((short) 0xC00C).putShort((short) 1).putShort((short) 1).putInt(60).putShort((short) 4);
      for (String octet : ADDRESS.split("\\.")) {
        out.put((byte) Integer.parseInt(octet));
      }
    }
    return out.array();
  }

  @Override
  public void close() {
    socket.close();
  }
}
