package io.shoal.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TCP server on a free loopback port that accepts every connection and never answers. */
final class SilentServer implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  SilentServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    acceptor = new Thread(this::acceptLoop, "silent-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Connections accepted so far. */
  int accepted() {
    return connections.size();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        connections.add(server.accept());
      } catch (IOException e) {
        // Closed by close(): the loop ends.
      }
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    for (Socket socket : connections) {
      socket.close();
    }
    acceptor.join(5000);
  }
}
