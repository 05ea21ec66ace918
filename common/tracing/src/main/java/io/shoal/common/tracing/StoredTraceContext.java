package io.shoal.common.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) kept inside an object written
 * to etcd, so that whoever acts on the object after a watch continues the trace of the request
 * that wrote it: control stores the create's context in the service, the scheduler its
 * placement's in each task, and the dispatcher and the agent continue from the task's.
 */
public final class StoredTraceContext {
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private StoredTraceContext() {}

  /** The current span's context as headers to store; empty when no span is being recorded. */
  public static Map<String, String> ofCurrent() {
    return of(Context.current());
  }

  /** {@code context}'s span as headers to store; empty when its span is not sampled. */
  public static Map<String, String> of(Context context) {
    if (!Span.fromContext(context).getSpanContext().isSampled()) {
      return Map.of();
    }
    Map<String, String> headers = new HashMap<>();
    W3C.inject(context, headers, Map::put);
    return Map.copyOf(headers);
  }

  /**
   * The context to start a span under for an object that stored {@code headers}: the stored
   * span as a remote parent, or the root context (a new trace) when nothing usable was stored.
   */
  public static Context parent(Map<String, String> headers) {
    if (headers.isEmpty()) {
      return Context.root();
    }
    return W3C.extract(Context.root(), headers, MAP_GETTER);
  }
}
