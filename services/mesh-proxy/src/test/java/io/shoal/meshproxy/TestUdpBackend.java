package io.shoal.meshproxy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real UDP backend on a free loopback port: answers every datagram {@code D} with
 * {@code NAME:D} to its sender, and remembers the senders it has seen.
 */
public final class TestUdpBackend implements AutoCloseable {
  private final String name;
  private final DatagramSocket socket;
  private final Thread thread;
  private final Set<SocketAddress> senders = ConcurrentHashMap.newKeySet();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();

  private TestUdpBackend(String name, DatagramSocket socket) {
    this.name = name;
    this.socket = socket;
    this.thread = new Thread(this::serve, "test-udp-backend-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  public static TestUdpBackend start(String name) {
    try {
      return new TestUdpBackend(name,
          new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** The addresses datagrams came from (the proxy's flow sockets). */
  public Set<SocketAddress> senders() {
    return Set.copyOf(senders);
  }

  public List<Throwable> errors() {
    return errors;
  }

  private void serve() {
    byte[] buf = new byte[65_535];
    while (!socket.isClosed()) {
      try {
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        socket.receive(in);
        senders.add(in.getSocketAddress());
        byte[] reply = (name + ":" + new String(in.getData(), 0, in.getLength(), UTF_8))
            .getBytes(UTF_8);
        socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
      } catch (IOException e) {
        if (!socket.isClosed()) {
          errors.add(e);
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(5000);
  }
}
