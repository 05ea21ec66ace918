package io.shoal.common.telemetry;

import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import io.grpc.opentelemetry.GrpcOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;

/**
 * OpenTelemetry for one service, set up once in its main: metrics exported on a Prometheus
 * {@code /metrics} endpoint, and gRPC servers and channels instrumented with grpc-opentelemetry.
 */
public final class Telemetry implements AutoCloseable {
  private final OpenTelemetrySdk sdk;
  private final GrpcOpenTelemetry grpc;
  private final PrometheusHttpServer prometheus;

  private Telemetry(OpenTelemetrySdk sdk, PrometheusHttpServer prometheus) {
    this.sdk = sdk;
    this.prometheus = prometheus;
    this.grpc = GrpcOpenTelemetry.newBuilder().sdk(sdk).build();
  }

  /** Serves metrics on {@code host:metricsPort}; a port of 0 keeps metrics in-process only. */
  public static Telemetry start(String serviceName, String host, int metricsPort) {
    Resource resource =
        Resource.getDefault()
            .merge(Resource.create(Attributes.of(
                io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), serviceName)));
    io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder meters = SdkMeterProvider.builder().setResource(resource);
    PrometheusHttpServer prometheus = null;
    if (metricsPort > 0) {
      prometheus = PrometheusHttpServer.builder().setHost(host).setPort(metricsPort).build();
      meters.registerMetricReader(prometheus);
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
