package io.shoal.common.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.testing.ExternalProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every part's /metrics carries its JVM's memory by pool, heap and non-heap (bench/soak.sh reads it). */
class JvmMemoryMetricsIT {
  @Test
  void metricsShowTheHeapByPool() throws Exception {
    int port = ExternalProcess.freePort();
    try (Telemetry telemetry = Telemetry.start("shoal-test", "127.0.0.1", port, Optional.empty())) {
      String metrics = get(port);

      assertThat(heapSum(metrics, "jvm_memory_used_bytes")).isPositive();
      assertThat(heapSum(metrics, "jvm_memory_committed_bytes")).isPositive();
      assertThat(metrics).contains("jvm_memory_used_after_last_gc_bytes{")
          .contains("jvm_memory_limit_bytes{")
          .containsPattern("jvm_memory_used_bytes\\{[^}]*jvm_memory_type=\"non_heap\"");
    }
  }

  /** The sum of {@code series} over the heap's pools. */
  private static double heapSum(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + "\\{([^}]*)\\} (\\S+)$").matcher(metrics);
    double sum = 0;
    while (m.find()) {
      if (m.group(1).contains("jvm_memory_type=\"heap\"")) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  private static String get(int port) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(
          "GET /metrics HTTP/1.1\r\nHost: metrics\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
