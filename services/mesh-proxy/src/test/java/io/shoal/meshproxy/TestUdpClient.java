package io.shoal.meshproxy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/** A UDP client with its own source port: one flow through the proxy. */
public final class TestUdpClient implements AutoCloseable {
  private final DatagramSocket socket;
  private final InetSocketAddress target;

  public TestUdpClient(String host, int port) {
    try {
      this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
      socket.setSoTimeout(1000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.target = new InetSocketAddress(host, port);
  }

  /** Sends {@code message} and returns the answer, or null when none came within a second. */
  public String ask(String message) {
    byte[] out = message.getBytes(UTF_8);
    try {
      socket.send(new DatagramPacket(out, out.length, target));
      byte[] buf = new byte[65_535];
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      socket.receive(in);
      if (!in.getSocketAddress().equals(target)) {
        throw new IllegalStateException("answer from " + in.getSocketAddress() + ", not " + target);
      }
      return new String(in.getData(), 0, in.getLength(), UTF_8);
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
