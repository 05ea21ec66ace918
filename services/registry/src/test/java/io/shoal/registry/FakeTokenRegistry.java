package io.shoal.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry that speaks only the bearer-token flow, with its token endpoint, in memory on a
 * loopback port (JDK HttpServer): {@code /v2/team/app/manifests/<tag>} answers 401 with a
 * {@code Bearer realm=…,service=…,scope=…} challenge unless it gets the token, which
 * {@code /token} hands out only for HTTP basic {@code user:password}. {@code /v2/bare/…} answers
 * 401 without any challenge; {@code /v2/digest-scheme/…} with a scheme Shoal does not speak;
 * {@code /v2/bad-realm/…} with a bearer realm that is not an http(s) URL.
 */
final class FakeTokenRegistry implements AutoCloseable {
  static final String DIGEST = "sha256:" + "c".repeat(64);
  private static final String TOKEN = "tok-" + Long.toHexString(System.nanoTime());

  private final HttpServer server;
  private final String user;
  private final String password;
  final List<String> tokenQueries = new CopyOnWriteArrayList<>();
  final AtomicInteger manifestRequests = new AtomicInteger();

  FakeTokenRegistry(String user, String password) {
    this.user = user;
    this.password = password;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/token", this::token);
    server.createContext("/v2/", this::manifest);
    server.start();
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void token(HttpExchange exchange) throws IOException {
    tokenQueries.add(exchange.getRequestURI().getRawQuery());
    String expected = "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
      return;
    }
    respond(exchange, 200, "{\"token\": \"" + TOKEN + "\", \"expires_in\": 300}");
  }

  private void manifest(HttpExchange exchange) throws IOException {
    manifestRequests.incrementAndGet();
    String path = exchange.getRequestURI().getPath();
    if (path.startsWith("/v2/bare/")) {
      respond(exchange, 401, "");
      return;
    }
    if (path.startsWith("/v2/bad-realm/")) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"ftp://" + address() + "/token\"");
      respond(exchange, 401, "");
      return;
    }
    if (path.startsWith("/v2/digest-scheme/")) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Digest realm=\"x\", nonce=\"y\"");
      respond(exchange, 401, "");
      return;
    }
    if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + address()
          + "/token\",service=\"fake-registry\",scope=\"repository:team/app:pull\"");
      respond(exchange, 401, "");
      return;
    }
    exchange.getResponseHeaders().add("Docker-Content-Digest", DIGEST);
    respond(exchange, 200, "{}");
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
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
