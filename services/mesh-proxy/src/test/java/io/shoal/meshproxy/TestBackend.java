package io.shoal.meshproxy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real TCP backend on a free loopback port: greets each connection with its name and a
 * newline, then answers every line {@code L} with {@code NAME:L}, until the peer closes. The
 * line {@code bytes N} is answered with N bytes of 'x' and a newline instead.
 */
public final class TestBackend implements AutoCloseable {
  private final String name;
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "test-backend");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();

  private TestBackend(String name, ServerSocket server) {
    this.name = name;
    this.server = server;
    threads.execute(this::acceptLoop);
  }

  public static TestBackend start(String name) {
    return start(name, "127.0.0.1");
  }

  /** On {@code host} (another loopback address stands for another node). */
  public static TestBackend start(String name, String host) {
    try {
      return new TestBackend(name, new ServerSocket(0, 50, InetAddress.getByName(host)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Connections accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  /** Unexpected errors of the accept loop (a closed server is expected). */
  public List<Throwable> errors() {
    return errors;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        accepted.incrementAndGet();
        connections.add(socket);
        threads.execute(() -> serve(socket));
      } catch (IOException e) {
        if (!server.isClosed()) {
          errors.add(e);
        }
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      OutputStream out = socket.getOutputStream();
      out.write((name + "\n").getBytes(UTF_8));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("bytes ")) {
          writeBulk(out, Integer.parseInt(line.substring("bytes ".length())));
        } else {
          out.write((name + ":" + line + "\n").getBytes(UTF_8));
        }
        out.flush();
      }
    } catch (IOException e) {
      // The proxy resets connections it gives up on; only a live server's failures matter.
      if (!server.isClosed() && !"Connection reset".equals(e.getMessage())) {
        errors.add(e);
      }
    }
  }

  private static void writeBulk(OutputStream out, int size) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) 'x');
    for (int left = size; left > 0; left -= chunk.length) {
      out.write(chunk, 0, Math.min(left, chunk.length));
    }
    out.write('\n');
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    for (Socket socket : connections) {
      socket.close();
    }
    threads.shutdownNow();
    threads.awaitTermination(5, TimeUnit.SECONDS);
  }
}
