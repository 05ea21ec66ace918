package io.shoal.common.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.Role;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.JdkTlsClient;
import io.shoal.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service with TLS serves /metrics over HTTPS to a manager's certificate of its cluster only:
 * a worker's certificate, no certificate, and plain HTTP get nothing.
 */
class MetricsTlsIT {
  @TempDir Path dir;

  @Test
  void onlyAManagersCertificateReadsTheMetrics() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    ServiceTls tls = ServiceTls.fromDirectory(pki.issue("scheduler", Role.MANAGER));
    Path prometheus = pki.issue("prometheus", Role.MANAGER);
    Path worker = pki.issue("node1", Role.WORKER);
    int port = ExternalProcess.freePort();

    try (Telemetry telemetry = Telemetry.start("shoal-test", "127.0.0.1", port, tls.metricsContext())) {
      telemetry.meter("test").counterBuilder("shoal.test.things").build().add(3);

      assertThat(get(port, client(Optional.of(prometheus), dir)))
          .startsWith("HTTP/1.1 200").contains("shoal_test_things_total{otel_scope_name=\"test\"} 3.0");
      // TLS 1.3: the client's handshake ends before the server checks its certificate, so a
      // refusal shows as an alert or a closed connection when it reads.
      assertThat(attempt(port, client(Optional.of(worker), dir))).doesNotContain("shoal_test_things");
      assertThat(attempt(port, client(Optional.empty(), dir))).doesNotContain("shoal_test_things");
      assertThat(plainGet(port)).doesNotContain("shoal_test_things");
    }
  }

  /** A TLS 1.3 client trusting the test cluster's root, presenting {@code certs}' certificate if any. */
  private static SSLContext client(Optional<Path> certs, Path dir) {
    CertDirectory.Contents any = new CertDirectory(certs.orElse(dir.resolve("pki").resolve("scheduler"))).read();
    return JdkTlsClient.context(any.root(), certs.map(c -> new CertDirectory(c).read().credentials()));
  }

  private static String get(int port, SSLContext context) throws IOException {
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      return exchange(socket);
    }
  }

  /** What a GET over {@code context} gets: the answer, or the error that ended it. */
  private static String attempt(int port, SSLContext context) {
    try {
      return get(port, context);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** What a plain-HTTP GET gets: the server speaks TLS only, so no metrics (an error or nothing). */
  private static String plainGet(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      return exchange(socket);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static String exchange(Socket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write("GET /metrics HTTP/1.1\r\nHost: metrics\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
