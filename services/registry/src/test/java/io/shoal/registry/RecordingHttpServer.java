package io.shoal.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on a loopback address (JDK HttpServer) that answers with the test's handler
 * and records every request it received, with its Authorization header.
 */
final class RecordingHttpServer implements AutoCloseable {
  /** One request as received; {@code authorization} is null when the header was absent. */
  record Request(String method, String path, String authorization) {}

  /** Answers one request. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  /** Listens on {@code host} (127.0.0.1, or 127.0.0.2 for "another host"), on a free port. */
  RecordingHttpServer(String host, Handler handler) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          exchange.getRequestHeaders().getFirst("Authorization")));
      handler.handle(exchange);
    });
    server.start();
  }

  /** host:port */
  String address() {
    return server.getAddress().getHostString() + ":" + server.getAddress().getPort();
  }

  String url(String path) {
    return "http://" + address() + path;
  }

  static void respond(HttpExchange exchange, int status, Map<String, String> headers) throws IOException {
    headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
    if (!head && bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
