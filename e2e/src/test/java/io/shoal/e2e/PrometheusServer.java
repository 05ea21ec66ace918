package io.shoal.e2e;

import io.shoal.testing.ExternalProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real Prometheus (Debian's /usr/bin/prometheus) for one test: scrapes {@code targets} every
 * second over HTTPS with a manager's certificate of the cluster (as the parts' /metrics ask),
 * keeps its data in a temporary directory, listens on loopback. The parts' certificates name
 * no address Prometheus dials by, so it does not check the server's name: it is the test's own.
 */
final class PrometheusServer implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/prometheus");

  private final ExternalProcess process;
  private final Path dir;
  final String url;

  private PrometheusServer(ExternalProcess process, Path dir, String url) {
    this.process = process;
    this.dir = dir;
    this.url = url;
  }

  /** Binds {@code 127.0.0.1:port} (chosen beforehand, so control can be given the URL first). */
  static PrometheusServer start(int port, Path certDir, List<String> targets) {
    Path dir = ExternalProcess.tempDir("shoal-prometheus");
    String config = """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: shoal
            scheme: https
            tls_config:
              ca_file: %s
              cert_file: %s
              key_file: %s
              insecure_skip_verify: true
            static_configs:
              - targets: [%s]
        """.formatted(certDir.resolve("ca.pem"), certDir.resolve("cert.pem"), certDir.resolve("key.pem"),
        targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")));
    try {
      Files.writeString(dir.resolve("prometheus.yml"), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String listen = "127.0.0.1:" + port;
    ExternalProcess process = ExternalProcess.start("prometheus", List.of(BINARY.toString(),
        "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=" + listen, "--storage.tsdb.retention.time=1h"), dir);
    String url = "http://" + listen;
    process.awaitReady(Duration.ofSeconds(60), () -> get(url + "/-/ready").startsWith("Prometheus"));
    return new PrometheusServer(process, dir, url);
  }

  /** The body of {@code url}, or "" when it does not answer 200. */
  static String get(String url) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  String log() {
    return process.tail();
  }

  @Override
  public void close() {
    process.close();
    ExternalProcess.deleteTree(dir);
  }
}
