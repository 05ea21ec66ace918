package io.shoal.common.telemetry;

import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import io.grpc.opentelemetry.GrpcOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Optional;

/**
 * OpenTelemetry for one service, set up once in its main: metrics exported on a Prometheus
 * {@code /metrics} endpoint ({@link MetricsEndpoint}: HTTPS for a manager's certificate when the
 * service has TLS), and gRPC servers and channels instrumented with grpc-opentelemetry.
 */
public final class Telemetry implements AutoCloseable {
  private final OpenTelemetrySdk sdk;
  private final GrpcOpenTelemetry grpc;
  private final MetricsEndpoint prometheus;

  private Telemetry(OpenTelemetrySdk sdk, MetricsEndpoint prometheus) {
    this.sdk = sdk;
    this.prometheus = prometheus;
    this.grpc = GrpcOpenTelemetry.newBuilder().sdk(sdk).build();
  }

  /** Serves metrics on {@code host:metricsPort} in plain HTTP; a port of 0 keeps metrics in-process only. */
  public static Telemetry start(String serviceName, String host, int metricsPort) {
    return start(serviceName, host, metricsPort, Optional.empty());
  }

  /**
   * Serves metrics on {@code host:metricsPort}, over HTTPS with {@code tls} (which must ask for
   * the client's certificate: {@code ServiceTls.metricsContext}), else plain HTTP; a port of 0
   * keeps metrics in-process only.
   *
   * @throws java.io.UncheckedIOException when the port cannot be bound
   */
  public static Telemetry start(String serviceName, String host, int metricsPort, Optional<SslContext> tls) {
    Resource resource =
        Resource.getDefault()
            .merge(Resource.create(Attributes.of(
                io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), serviceName)));
    io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder meters = SdkMeterProvider.builder().setResource(resource);
    MetricsEndpoint prometheus = null;
    if (metricsPort > 0) {
      PrometheusMetricReader reader = PrometheusMetricReader.create();
      meters.registerMetricReader(reader);
      prometheus = MetricsEndpoint.start(host, metricsPort, reader, tls);
    }
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setMeterProvider(meters.build()).build();
    return new Telemetry(sdk, prometheus);
  }

  public static Telemetry noop() {
    return new Telemetry(OpenTelemetrySdk.builder().build(), null);
  }

  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  public Meter meter(String name) {
    return sdk.getMeter(name);
  }

  public void instrument(ServerBuilder<?> server) {
    grpc.configureServerBuilder(server);
  }

  public void instrument(ManagedChannelBuilder<?> channel) {
    grpc.configureChannelBuilder(channel);
  }

  @Override
  public void close() {
    if (prometheus != null) {
      prometheus.close();
    }
    sdk.close();
  }
}
