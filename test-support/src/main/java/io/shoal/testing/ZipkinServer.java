package io.shoal.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Zipkin server (its exec jar, which the e2e module's build copies to the path in the
 * {@code shoal.zipkin.jar} property) with in-memory storage, bound to one address only, for
 * tests that read the traces Shoal sent through Zipkin's HTTP API.
 */
public final class ZipkinServer implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ExternalProcess process;
  private final String host;
  private final int port;
  private final Path dir;

  private ZipkinServer(ExternalProcess process, String host, int port, Path dir) {
    this.process = process;
    this.host = host;
    this.port = port;
    this.dir = dir;
  }

  /** Starts Zipkin on {@code host} (one address: Armeria binds every one unless told), and waits until it is healthy. */
  public static ZipkinServer start(String host) {
    String jar = System.getProperty("shoal.zipkin.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("no Zipkin server jar at shoal.zipkin.jar=" + jar
          + "; the e2e module's build copies it (mvn -pl e2e generate-test-resources)");
    }
    int port = ExternalProcess.freePort();
    Path dir = ExternalProcess.tempDir("shoal-zipkin");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ExternalProcess process = ExternalProcess.start("zipkin", List.of(java,
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar", jar,
        "--armeria.ports[0].ip=" + host, "--armeria.ports[0].port=" + port,
        "--armeria.ports[0].protocols[0]=http", "--zipkin.storage.type=mem"), dir);
    ZipkinServer server = new ZipkinServer(process, host, port, dir);
    process.awaitReady(Duration.ofSeconds(90), server::healthy);
    return server;
  }

  /** Where services send spans: {@code http://HOST:PORT} (they add /api/v2/spans). */
  public String endpoint() {
    return "http://" + host + ":" + port;
  }

  /** Zipkin's JSON for {@code GET /api/v2/traces?serviceName=…&spanName=…&limit=…}: a list of traces. */
  public String traces(String serviceName, String spanName) {
    return get("/api/v2/traces?serviceName=" + enc(serviceName) + "&spanName=" + enc(spanName) + "&limit=10");
  }

  /** Zipkin's JSON for {@code GET /api/v2/trace/ID}: one trace's spans. */
  public String trace(String traceId) {
    return get("/api/v2/trace/" + enc(traceId));
  }

  private boolean healthy() {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(endpoint() + "/health")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String get(String path) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint() + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 404) {
        return "[]";
      }
      if (response.statusCode() != 200) {
        throw new IllegalStateException("zipkin " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public void close() {
    process.close();
    ExternalProcess.deleteTree(dir);
  }
}
