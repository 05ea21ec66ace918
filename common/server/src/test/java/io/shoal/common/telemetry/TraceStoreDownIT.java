package io.shoal.common.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.Tracer;
import io.shoal.common.tracing.TraceSettings;
import io.shoal.testing.ExternalProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A trace store that does not answer never holds a service up: spans wait in a bounded queue,
 * the overflow and the failed sends are dropped, and both are counted on /metrics.
 */
class TraceStoreDownIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void spansForAStoreThatIsDownAreDroppedAndCountedWithoutHoldingTheCaller() throws Exception {
    int metricsPort = ExternalProcess.freePort();
    // Port 9 of loopback: nothing listens there, every send is refused.
    TraceSettings down = TraceSettings.parse("http://127.0.0.1:9", "1");
    try (Telemetry telemetry = Telemetry.start("test-service", "127.0.0.1", metricsPort, Optional.empty(), down)) {
      Tracer tracer = telemetry.tracer("test");
      // Twice the queue at once: the caller is never held (the test would hang), the rest is dropped.
      for (int i = 0; i < 32_768; i++) {
        tracer.spanBuilder("request " + i).startSpan().end();
      }

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        String metrics = scrape(metricsPort);
        assertThat(count(metrics, "otel_sdk_processor_span_processed_span_total", "queue_full")).isPositive();
        assertThat(count(metrics, "otel_sdk_exporter_span_exported_total", "error_type")).isPositive();
      });
    }
  }

  private static String scrape(int port) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The value of {@code metric}'s series whose labels mention {@code label}; 0 when there is none. */
  private static double count(String metrics, String metric, String label) {
    Matcher m = Pattern.compile("(?m)^" + metric + "\\{([^}]*)\\} (\\S+)").matcher(metrics);
    double total = 0;
    while (m.find()) {
      if (m.group(1).contains(label)) {
        total += Double.parseDouble(m.group(2));
      }
    }
    return total;
  }
}
