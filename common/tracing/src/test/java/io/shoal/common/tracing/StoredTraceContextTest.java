package io.shoal.common.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredTraceContextTest {
  private static final SpanContext SAMPLED = SpanContext.create("0af7651916cd43dd8448eb211c80319c",
      "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());

  @Test
  void theCurrentSampledSpanIsStoredAsW3cHeadersAndReadBackAsTheRemoteParent() {
    Map<String, String> stored;
    try (Scope ignored = Context.root().with(Span.wrap(SAMPLED)).makeCurrent()) {
      stored = StoredTraceContext.ofCurrent();
    }
    assertThat(stored).containsEntry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

    SpanContext parent = Span.fromContext(StoredTraceContext.parent(stored)).getSpanContext();
    assertThat(parent.getTraceId()).isEqualTo(SAMPLED.getTraceId());
    assertThat(parent.getSpanId()).isEqualTo(SAMPLED.getSpanId());
    assertThat(parent.isRemote()).isTrue();
  }

  @Test
  void nothingIsStoredOutsideASampledSpanAndNothingStoredIsANewTrace() {
    assertThat(StoredTraceContext.ofCurrent()).isEmpty();
    SpanContext unsampled = SpanContext.create(SAMPLED.getTraceId(), SAMPLED.getSpanId(), TraceFlags.getDefault(),
        TraceState.getDefault());
    assertThat(StoredTraceContext.of(Context.root().with(Span.wrap(unsampled)))).isEmpty();
    assertThat(Span.fromContext(StoredTraceContext.parent(Map.of())).getSpanContext().isValid()).isFalse();
    assertThat(Span.fromContext(StoredTraceContext.parent(Map.of("traceparent", "garbage"))).getSpanContext().isValid())
        .isFalse();
  }
}
