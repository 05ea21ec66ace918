package io.shoal.e2e;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady, bounded HTTP load through the routing mesh: one request every {@code periodMs} on
 * each of a few client threads, each on a new connection (HTTP/1.0, so no client keep-alive or
 * retry can hide a failure), spread over every node's published address. It stops at
 * {@link #stop()}, after {@code maxRequests}, or after {@code maxSeconds}, whichever comes first.
 */
final class MeshLoad implements AutoCloseable {
  private final List<String> addresses;
  private final int port;
  private final String expectedBody;
  private final int maxRequests;
  private final ScheduledThreadPoolExecutor clients;
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicInteger ok = new AtomicInteger();
  private final List<String> failures = new CopyOnWriteArrayList<>();

  MeshLoad(List<String> addresses, int port, String expectedBody, int threads, long periodMs,
      int maxRequests, long maxSeconds) {
    this.addresses = addresses;
    this.port = port;
    this.expectedBody = expectedBody;
    this.maxRequests = maxRequests;
    this.clients = new ScheduledThreadPoolExecutor(threads, r -> {
      Thread t = new Thread(r, "mesh-load");
      t.setDaemon(true);
      return t;
    });
    // Stopping must not wait for the time bound below.
    clients.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    for (int i = 0; i < threads; i++) {
      clients.scheduleAtFixedRate(this::request, i, periodMs, TimeUnit.MILLISECONDS);
    }
    clients.schedule(clients::shutdown, maxSeconds, TimeUnit.SECONDS);
  }

  private void request() {
    int n = sent.getAndIncrement();
    if (n >= maxRequests) {
      clients.shutdown();
      return;
    }
    String addr = addresses.get(n % addresses.size());
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(addr, port), 2000);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write("GET / HTTP/1.0\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
      String response = readAll(socket.getInputStream());
      if (response.startsWith("HTTP/1.") && response.contains(" 200 ")
          && response.endsWith(expectedBody)) {
        ok.incrementAndGet();
      } else {
        failures.add("request " + n + " to " + addr + ": unexpected answer ["
            + response.replace("\r\n", "\\r\\n") + "]");
      }
    } catch (IOException | RuntimeException e) {
      // Caught whatever it is: a periodic task that throws is never run again.
      failures.add("request " + n + " to " + addr + ": " + e);
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(US_ASCII);
  }

  int succeeded() {
    return ok.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  /** Stops sending and waits for the requests in flight. */
  void stop() throws InterruptedException {
    clients.shutdown();
    if (!clients.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("load clients did not stop in 10 s");
    }
  }

  @Override
  public void close() throws InterruptedException {
    clients.shutdownNow();
    clients.awaitTermination(10, TimeUnit.SECONDS);
  }
}
