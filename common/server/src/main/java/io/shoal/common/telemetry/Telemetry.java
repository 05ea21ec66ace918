package io.shoal.common.telemetry;

import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.opentelemetry.GrpcOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.shoal.common.tracing.GrpcTracing;
import io.shoal.common.tracing.TraceSettings;
import io.shoal.common.tracing.Tracing;
import java.util.Optional;

/**
 * OpenTelemetry for one service, set up once in its main: metrics exported on a Prometheus
 * {@code /metrics} endpoint ({@link MetricsEndpoint}: HTTPS for a manager's certificate when the
 * service has TLS), spans sent to the trace store the service was given ({@link Tracing}; none
 * without one), and gRPC servers and channels instrumented with both (grpc-opentelemetry's
 * metrics, OpenTelemetry's gRPC spans carrying the W3C context).
 */
public final class Telemetry implements AutoCloseable {
  private final SdkMeterProvider meters;
  private final Tracing tracing;
  private final OpenTelemetry openTelemetry;
  private final GrpcOpenTelemetry grpc;
  private final GrpcTracing grpcTracing;
  private final MetricsEndpoint prometheus;
  private final String metricsHost;

  private Telemetry(SdkMeterProvider meters, Tracing tracing, MetricsEndpoint prometheus, String metricsHost) {
    this.metricsHost = metricsHost;
    this.meters = meters;
    this.tracing = tracing;
    this.prometheus = prometheus;
    this.openTelemetry = new ServiceOpenTelemetry(meters, tracing.tracerProvider(), tracing.propagators());
    this.grpc = GrpcOpenTelemetry.newBuilder().sdk(openTelemetry).build();
    this.grpcTracing = new GrpcTracing(openTelemetry);
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
    return start(serviceName, host, metricsPort, tls, TraceSettings.OFF);
  }

  /**
   * As above, with spans sent as {@code traces} says (nothing recorded without an endpoint).
   *
   * @throws java.io.UncheckedIOException when the port cannot be bound
   */
  public static Telemetry start(String serviceName, String host, int metricsPort, Optional<SslContext> tls,
      TraceSettings traces) {
    Resource resource = Resource.getDefault()
        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName)));
    SdkMeterProviderBuilder meters = SdkMeterProvider.builder().setResource(resource);
    MetricsEndpoint prometheus = null;
    if (metricsPort > 0) {
      PrometheusMetricReader reader = PrometheusMetricReader.create();
      meters.registerMetricReader(reader);
      prometheus = MetricsEndpoint.start(host, metricsPort, reader, tls);
    }
    SdkMeterProvider meterProvider = meters.build();
    JvmMemoryMetrics.register(meterProvider.get("io.shoal.jvm"));
    return new Telemetry(meterProvider, Tracing.start(serviceName, traces, meterProvider), prometheus, host);
  }

  public static Telemetry noop() {
    return new Telemetry(SdkMeterProvider.builder().build(), Tracing.off(), null, "");
  }

  /** Where /metrics is served, {@code host:port}; empty when it is not (port 0). */
  public java.util.Optional<String> metricsAddress() {
    return prometheus == null ? java.util.Optional.empty()
        : java.util.Optional.of(metricsHost + ":" + prometheus.port());
  }

  /**
   * Serves {@code body}'s JSON at {@code path} beside /metrics, on the same listener and with the
   * same client-certificate check (control's Prometheus targets); nothing when metrics are off.
   */
  public void serveJson(String path, java.util.function.Supplier<String> body) {
    if (prometheus != null) {
      prometheus.route(path, body);
    }
  }

  /** Metrics, spans (when tracing is on) and the W3C propagator, for parts that take OpenTelemetry. */
  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  public Meter meter(String name) {
    return openTelemetry.getMeter(name);
  }

  /** The tracer of the part named {@code name}; its spans go nowhere when tracing is off. */
  public Tracer tracer(String name) {
    return openTelemetry.getTracer(name);
  }

  public void instrument(ServerBuilder<?> server) {
    grpc.configureServerBuilder(server);
    server.intercept(grpcTracing.serverInterceptor());
  }

  public void instrument(ManagedChannelBuilder<?> channel) {
    grpc.configureChannelBuilder(channel);
    channel.intercept(grpcTracing.clientInterceptor());
  }

  @Override
  public void close() {
    if (prometheus != null) {
      prometheus.close();
    }
    tracing.close(); // its last export counts on the meters: close them after
    meters.close();
  }

  /** The service's meters and tracer under one {@link OpenTelemetry}. */
  private record ServiceOpenTelemetry(MeterProvider meterProvider, TracerProvider tracerProvider,
      ContextPropagators propagators) implements OpenTelemetry {
    @Override
    public MeterProvider getMeterProvider() {
      return meterProvider;
    }

    @Override
    public TracerProvider getTracerProvider() {
      return tracerProvider;
    }

    @Override
    public ContextPropagators getPropagators() {
      return propagators;
    }
  }
}
