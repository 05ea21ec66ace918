package io.shoal.common.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;

/**
 * An {@link OpenTelemetry} that traces but measures nothing: handed to the gRPC
 * instrumentation, whose own RPC metrics would repeat grpc-opentelemetry's on /metrics, and
 * the CLI's, which has no meters.
 */
record TracingOnly(TracerProvider tracerProvider, ContextPropagators propagators) implements OpenTelemetry {
  @Override
  public TracerProvider getTracerProvider() {
    return tracerProvider;
  }

  @Override
  public ContextPropagators getPropagators() {
    return propagators;
  }
}
