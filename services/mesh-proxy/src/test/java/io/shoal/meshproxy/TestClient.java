package io.shoal.meshproxy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A blocking client for the proxy's published ports, with 5 s timeouts everywhere. */
public final class TestClient implements AutoCloseable {
  private static final int TIMEOUT_MS = 5000;

  private final Socket socket;
  private final BufferedReader in;

  private TestClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
  }

  /** Over a socket the test connected itself (e.g. from a chosen source address). */
  public static TestClient wrap(Socket socket) {
    try {
      return new TestClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TestClient connect(String host, int port) {
    return connect(host, port, 0);
  }

  /** With a receive buffer of {@code receiveBuffer} bytes (0: the default), to slow a reader. */
  public static TestClient connect(String host, int port, int receiveBuffer) {
    Socket socket = new Socket();
    try {
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      return new TestClient(socket);
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException closeError) {
        e.addSuppressed(closeError);
      }
      throw new UncheckedIOException(e);
    }
  }

  /** Connects, reads the backend's greeting (its name), and closes. */
  public static String greeting(String host, int port) {
    try (TestClient client = connect(host, port)) {
      return client.readLine();
    }
  }

  /**
   * A connection whose first line is {@code backend}'s greeting, or null when the proxy turned it
   * away (reset or closed, before or after connect() returned).
   */
  public static TestClient greetedBy(String backend, String host, int port) {
    TestClient client;
    try {
      client = connect(host, port);
    } catch (UncheckedIOException e) {
      return null;
    }
    String greeting;
    try {
      greeting = client.readLine();
    } catch (UncheckedIOException e) {
      greeting = null;
    }
    if (backend.equals(greeting)) {
      return client;
    }
    client.close();
    return null;
  }

  /** Reads up to end of stream and returns how many bytes came. */
  public long drain() {
    try {
      long total = 0;
      for (int n; (n = in.read(new char[64 * 1024])) != -1; ) {
        total += n;
      }
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next line, or null at end of stream. */
  public String readLine() {
    try {
      return in.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void writeLine(String line) {
    try {
      socket.getOutputStream().write((line + "\n").getBytes(UTF_8));
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends FIN: the client is done sending but still reads. */
  public void shutdownOutput() {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when the proxy closes the connection without sending anything. */
  public boolean closedWithoutData() {
    try {
      return socket.getInputStream().read() == -1;
    } catch (IOException e) {
      // A reset instead of a FIN is a close too.
      return "Connection reset".equals(e.getMessage());
    }
  }

  /**
   * Connects and returns whether the proxy turned the connection away: reset or closed before
   * any byte, whether the reset comes after connect() returned or (on a busy machine) before.
   */
  public static boolean turnedAway(String host, int port) {
    TestClient client;
    try {
      client = connect(host, port);
    } catch (UncheckedIOException e) {
      return e.getCause() instanceof java.net.SocketException
          && String.valueOf(e.getCause().getMessage()).startsWith("Connection reset");
    }
    try (client) {
      return client.closedWithoutData();
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
