package io.shoal.registry;

import static io.shoal.registry.RecordingHttpServer.respond;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.shoal.common.registry.ImageReference;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry service's requests to a registry are client spans of the call that asked (the
 * manifest HEAD of a create, in its trace), naming the path but never a signed query; outside a
 * traced call they make none.
 */
class ManifestResolverTracingTest {
  private static final String DIGEST = "sha256:" + "e".repeat(64);

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider tracing =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  private final ManifestResolver resolver =
      new ManifestResolver(Set.of("127.0.0.1"), Duration.ofSeconds(5), tracing.get("test"));
  private final RecordingHttpServer storage = new RecordingHttpServer("127.0.0.2",
      exchange -> respond(exchange, 200, Map.of("Docker-Content-Digest", DIGEST)));
  private final RecordingHttpServer registry = new RecordingHttpServer("127.0.0.1",
      exchange -> respond(exchange, 307, Map.of("Location", storage.url("/signed/manifest?sig=secret"))));

  @AfterEach
  void stop() {
    registry.close();
    storage.close();
    tracing.close();
  }

  private ImageReference ref() {
    return ImageReference.parse(registry.address() + "/team/app:1", "image");
  }

  @Test
  void eachRequestOfATracedCallIsAClientSpanUnderItNamingThePathOnly() throws Exception {
    Span call = tracing.get("test").spanBuilder("ResolveImage").startSpan();
    try (Scope ignored = call.makeCurrent()) {
      assertThat(resolver.resolveDigest(ref(), Optional.empty())).isEqualTo(DIGEST);
    } finally {
      call.end();
    }

    assertThat(spans.getFinishedSpanItems()).filteredOn(s -> s.getKind() == SpanKind.CLIENT)
        .extracting(SpanData::getName, s -> s.getAttributes().asMap().toString().contains("secret"),
            s -> s.getParentSpanId())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("HEAD", false, call.getSpanContext().getSpanId()),
            org.assertj.core.groups.Tuple.tuple("HEAD", false, call.getSpanContext().getSpanId()));
    assertThat(spans.getFinishedSpanItems().get(0).getAttributes().asMap().toString())
        .contains("/v2/team/app/manifests/1");
  }

  @Test
  void aCallThatIsNotTracedMakesNoSpan() throws Exception {
    assertThat(resolver.resolveDigest(ref(), Optional.empty())).isEqualTo(DIGEST);

    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }
}
