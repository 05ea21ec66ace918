package io.shoal.common.telemetry;

import io.shoal.common.tracing.TraceSettings;

/**
 * A service's telemetry: its name in the metrics, and where it serves them.
 *
 * @param serviceName the OpenTelemetry {@code service.name}, e.g. "shoal-control"
 * @param host the host of the Prometheus endpoint (the service's first gRPC host)
 * @param metricsPort the Prometheus port; 0 keeps metrics in-process only
 * @param traces where spans go ({@link TraceSettings#OFF}: nowhere)
 */
public record TelemetryConfig(String serviceName, String host, int metricsPort, TraceSettings traces) {
  /** Metrics only: no spans recorded. */
  public TelemetryConfig(String serviceName, String host, int metricsPort) {
    this(serviceName, host, metricsPort, TraceSettings.OFF);
  }
}
