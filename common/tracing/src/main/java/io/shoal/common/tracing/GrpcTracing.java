package io.shoal.common.tracing;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.grpc.v1_6.GrpcTelemetry;

/**
 * Spans for gRPC calls, with the W3C trace context in each call's metadata (OpenTelemetry's
 * gRPC instrumentation). A server traces unary calls only: a stream such as an agent's session
 * or {@code WatchEvents} lives for hours and is no request, and the health and reflection
 * services are polled, not asked.
 */
public final class GrpcTracing {
  private final ClientInterceptor client;
  private final ServerInterceptor server;

  public GrpcTracing(OpenTelemetry tracing) {
    GrpcTelemetry telemetry = GrpcTelemetry.create(
        new TracingOnly(tracing.getTracerProvider(), tracing.getPropagators()));
    this.client = telemetry.createClientInterceptor();
    this.server = new UnaryRequestsOnly(telemetry.createServerInterceptor());
  }

  public ClientInterceptor clientInterceptor() {
    return client;
  }

  public ServerInterceptor serverInterceptor() {
    return server;
  }

  private record UnaryRequestsOnly(ServerInterceptor traced) implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      String service = call.getMethodDescriptor().getServiceName();
      boolean request = call.getMethodDescriptor().getType() == MethodType.UNARY
          && service != null && !service.startsWith("grpc.");
      return request ? traced.interceptCall(call, headers, next) : next.startCall(call, headers);
    }
  }
}
