package io.shoal.cli.trace;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.shoal.common.tracing.GrpcTracing;
import io.shoal.common.tracing.TraceSettings;
import io.shoal.common.tracing.Tracing;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One command as the root span of its trace ("shoal service create"), its calls to control as
 * child spans carrying the W3C context, when SHOAL_TRACE_ENDPOINT names a trace store; without
 * it, nothing of OpenTelemetry is even loaded. The spans are sent when the command ends, waiting
 * at most a few seconds for a store that does not answer (then they are dropped).
 */
public final class CommandTrace implements AutoCloseable {
  private static final CommandTrace OFF = new CommandTrace(null);

  /** Null when tracing is off. */
  private final On on;

  private CommandTrace(On on) {
    this.on = on;
  }

  /**
   * The trace of one command, as {@code env} says.
   *
   * @throws IllegalArgumentException naming the variable when SHOAL_TRACE_ENDPOINT or SHOAL_TRACE_SAMPLING is malformed
   */
  public static CommandTrace start(Map<String, String> env) {
    String endpoint = env.get("SHOAL_TRACE_ENDPOINT");
    if (endpoint == null || endpoint.isBlank()) {
      return OFF;
    }
    return new CommandTrace(new On(TraceSettings.fromEnv(env)));
  }

  /** {@code channel} with each call a span carrying the trace context (unchanged when off). */
  public Channel intercept(Channel channel) {
    return on == null ? channel : ClientInterceptors.intercept(channel, on.grpc.clientInterceptor());
  }

  /** Runs {@code command} as the span {@code name}, the root of its trace (just runs it when off). */
  public <T> T around(String name, Supplier<T> command) {
    return on == null ? command.get() : on.around(name, command);
  }

  /** No tracing. */
  public static CommandTrace off() {
    return OFF;
  }

  @Override
  public void close() {
    if (on != null) {
      on.tracing.close();
    }
  }

  /** Tracing on: kept apart so that a command without it loads none of these classes. */
  private static final class On {
    private final Tracing tracing;
    private final Tracer tracer;
    private final GrpcTracing grpc;

    On(TraceSettings settings) {
      tracing = Tracing.start("shoal-cli", settings, MeterProvider.noop());
      tracer = tracing.tracerProvider().get("shoal-cli");
      grpc = new GrpcTracing(tracing.openTelemetry());
    }

    <T> T around(String name, Supplier<T> command) {
      Span span = tracer.spanBuilder(name).setNoParent().startSpan();
      try (Scope ignored = span.makeCurrent()) {
        return command.get();
      } catch (RuntimeException | Error e) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        throw e;
      } finally {
        span.end();
      }
    }
  }
}
