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
 * A real Prometheus (Debian's {@code prometheus}, which deploy/dev.sh installs) with the config a
 * test writes, its own data directory and port on one address, for tests that read what it
 * scraped through its HTTP API.
 */
public final class PrometheusServer implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ExternalProcess process;
  private final String base;
  private final Path dir;

  private PrometheusServer(ExternalProcess process, String base, Path dir) {
    this.process = process;
    this.base = base;
    this.dir = dir;
  }

  /** Starts Prometheus on {@code host} with {@code config} (prometheus.yml), and waits until it is ready. */
  public static PrometheusServer start(String host, String config) {
    return start(host, ExternalProcess.freePort(), config);
  }

  /**
   * As {@link #start(String, String)} on a port chosen beforehand, for a part that must be given
   * Prometheus's URL before Prometheus can be configured to scrape it.
   */
  public static PrometheusServer start(String host, int port, String config) {
    Path dir = ExternalProcess.tempDir("shoal-prometheus");
    try {
      Files.writeString(dir.resolve("prometheus.yml"), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ExternalProcess process = ExternalProcess.start("prometheus", List.of("/usr/bin/prometheus",
        "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=" + host + ":" + port, "--log.level=warn"), dir);
    PrometheusServer server = new PrometheusServer(process, "http://" + host + ":" + port, dir);
    process.awaitReady(Duration.ofSeconds(60), () -> server.status("/-/ready") == 200);
    return server;
  }

  /** Where its HTTP API is: {@code http://HOST:PORT}. */
  public String url() {
    return base;
  }

  /** {@code /api/v1/targets}: every target with its health. */
  public String targets() {
    return get("/api/v1/targets");
  }

  /** {@code /api/v1/query?query=PROMQL}. */
  public String query(String promql) {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  /** {@code /api/v1/rules}: the rules loaded and their state. */
  public String rules() {
    return get("/api/v1/rules");
  }

  private int status(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private String get(String path) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("prometheus " + path + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The log so far (for a failing test's message). */
  public String log() {
    return process.tail();
  }

  @Override
  public void close() {
    process.close();
    ExternalProcess.deleteTree(dir);
  }
}
