package io.shoal.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/**
 * One UDP client socket, so one flow through the routing mesh: every datagram it sends leaves
 * from the same local port, which the mesh keeps on one task.
 */
final class UdpFlowClient implements AutoCloseable {
  private final DatagramSocket socket;
  private final InetSocketAddress server;

  UdpFlowClient(String host, int port) {
    server = new InetSocketAddress(host, port);
    try {
      socket = new DatagramSocket(0);
      socket.setSoTimeout(2000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends {@code text} and returns the first reply that ends with it, sending again (same flow)
   * after each 2 s without one, {@code tries} times in all; null if none came back. A late
   * answer to an earlier datagram is skipped.
   */
  String ask(String text, int tries) {
    byte[] bytes = (text + "\n").getBytes(UTF_8);
    byte[] buffer = new byte[2048];
    try {
      for (int i = 0; i < tries; i++) {
        socket.send(new DatagramPacket(bytes, bytes.length, server));
        try {
          while (true) {
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            String answer = new String(reply.getData(), 0, reply.getLength(), UTF_8).strip();
            if (answer.endsWith(text)) {
              return answer;
            }
          }
        } catch (SocketTimeoutException e) {
          // UDP: a datagram to a task whose server is not bound yet is lost; send it again.
        }
      }
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
