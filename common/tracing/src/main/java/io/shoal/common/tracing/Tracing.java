package io.shoal.common.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * A process's spans, sent to Zipkin in batches from a background thread. Nothing here can
 * block or fail a request: spans wait in a bounded queue and are dropped when it is full or the
 * trace store does not answer, and both are counted on the process's meters
 * ({@code otel_sdk_processor_span_processed_span_total} and {@code otel_sdk_exporter_span_exported_total} with an
 * {@code error.type}). Without an endpoint there is no SDK tracer at all, only the W3C
 * propagator, so a context that arrives is still passed on.
 */
public final class Tracing implements AutoCloseable {
  /** How long spans wait to be sent together: a trace is readable a second after it ends. */
  private static final Duration BATCH_DELAY = Duration.ofSeconds(1);
  /**
   * Spans held for a trace store that is slow or down; more are dropped and counted. A rollout
   * of 10,000 tasks makes an assign span each within seconds (bench/scheduler.sh): 2,048, the
   * SDK's default, dropped about half of them; this holds them at about 1 KiB each.
   */
  private static final int QUEUE_SPANS = 16_384;
  /** Spans per request to the store: fewer, larger posts keep up with such a burst. */
  private static final int BATCH_SPANS = 2_048;
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
  private static final int READ_TIMEOUT_MILLIS = 5_000;
  /** How long closing waits for the last spans to reach the store. */
  private static final Duration FLUSH_ON_CLOSE = Duration.ofSeconds(3);

  private static final ContextPropagators W3C = ContextPropagators.create(W3CTraceContextPropagator.getInstance());

  private final Optional<SdkTracerProvider> sdk;

  private Tracing(Optional<SdkTracerProvider> sdk) {
    this.sdk = sdk;
  }

  /** No spans recorded; the W3C context is still propagated. */
  public static Tracing off() {
    return new Tracing(Optional.empty());
  }

  /**
   * Spans of {@code serviceName} (Zipkin's service name) sent as {@code settings} says, with the
   * drops counted on {@code meters}.
   */
  public static Tracing start(String serviceName, TraceSettings settings, MeterProvider meters) {
    if (settings.endpoint().isEmpty()) {
      return off();
    }
    URLConnectionSender sender = URLConnectionSender.newBuilder()
        .endpoint(settings.endpoint().get().toString())
        .connectTimeout(CONNECT_TIMEOUT_MILLIS)
        .readTimeout(READ_TIMEOUT_MILLIS)
        .build();
    ZipkinSpanExporter exporter = ZipkinSpanExporter.builder()
        .setSender(sender)
        .setEndpoint(settings.endpoint().get().toString()) // names the store in the exporter's metrics
        .setMeterProvider(meters)
        .setInternalTelemetryVersion(InternalTelemetryVersion.LATEST)
        .build();
    BatchSpanProcessor batches = BatchSpanProcessor.builder(exporter)
        .setScheduleDelay(BATCH_DELAY)
        .setMaxQueueSize(QUEUE_SPANS)
        .setMaxExportBatchSize(BATCH_SPANS)
        .setExporterTimeout(Duration.ofMillis(CONNECT_TIMEOUT_MILLIS + READ_TIMEOUT_MILLIS))
        .setMeterProvider(meters)
        .setInternalTelemetryVersion(InternalTelemetryVersion.LATEST)
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(
            Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.sampling())))
        .addSpanProcessor(batches)
        .build();
    return new Tracing(Optional.of(provider));
  }

  public TracerProvider tracerProvider() {
    return sdk.<TracerProvider>map(p -> p).orElse(TracerProvider.noop());
  }

  /** Spans and the W3C propagator, measuring nothing: for a process without meters (the CLI). */
  public OpenTelemetry openTelemetry() {
    return new TracingOnly(tracerProvider(), propagators());
  }

  /** W3C trace context, with or without a trace store. */
  public ContextPropagators propagators() {
    return W3C;
  }

  /** Whether spans are recorded and sent. */
  public boolean enabled() {
    return sdk.isPresent();
  }

  /** Sends what is queued, waiting at most {@code timeout}; false if it did not all go. */
  public boolean flush(Duration timeout) {
    return sdk.map(p -> p.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess()).orElse(true);
  }

  /** Sends the last spans (bounded wait) and stops the sending thread. */
  @Override
  public void close() {
    sdk.ifPresent(p -> p.shutdown().join(FLUSH_ON_CLOSE.toMillis(), TimeUnit.MILLISECONDS));
  }
}
