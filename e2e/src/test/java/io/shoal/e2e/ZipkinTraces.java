package io.shoal.e2e;

import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.shoal.testing.ZipkinServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Traces read back from a real Zipkin's HTTP API, as spans a test can look through. */
final class ZipkinTraces {
  /** A span as Zipkin returns it (names lower-cased, timestamps in microseconds). */
  record Span(String id, String parentId, String service, String name, long timestamp) {}

  private final ZipkinServer zipkin;

  ZipkinTraces(ZipkinServer zipkin) {
    this.zipkin = zipkin;
  }

  /**
   * The one trace whose root is the CLI's {@code command}, once it holds a span named
   * {@code last}; fails after {@code wait} when there is none, or more than one.
   */
  List<Span> awaitTrace(String command, String last, Duration wait) {
    List<List<Span>> found = new ArrayList<>();
    await().atMost(wait).pollInterval(Duration.ofMillis(500)).until(() -> {
      found.clear();
      for (JsonElement listed : JsonParser.parseString(zipkin.traces("shoal-cli", command)).getAsJsonArray()) {
        String traceId = listed.getAsJsonArray().get(0).getAsJsonObject().get("traceId").getAsString();
        List<Span> spans = spans(JsonParser.parseString(zipkin.trace(traceId)).getAsJsonArray());
        if (spans.stream().anyMatch(s -> s.name().equals(last))) {
          found.add(spans);
        }
      }
      return found.size() == 1;
    });
    return found.get(0);
  }

  static Span first(List<Span> trace, String service, String name) {
    return trace.stream().filter(s -> s.service().equals(service) && s.name().equals(name))
        .min(Comparator.comparingLong(Span::timestamp))
        .orElseThrow(() -> new AssertionError("no span " + service + " / " + name + " in " + trace));
  }

  static Span firstStartingWith(List<Span> trace, String service, String prefix) {
    return trace.stream().filter(s -> s.service().equals(service) && s.name().startsWith(prefix))
        .min(Comparator.comparingLong(Span::timestamp))
        .orElseThrow(() -> new AssertionError("no span " + service + " / " + prefix + "… in " + trace));
  }

  private static List<Span> spans(JsonArray json) {
    List<Span> spans = new ArrayList<>();
    for (JsonElement e : json) {
      JsonObject o = e.getAsJsonObject();
      spans.add(new Span(o.get("id").getAsString(),
          Optional.ofNullable(o.get("parentId")).map(JsonElement::getAsString).orElse(""),
          o.getAsJsonObject("localEndpoint").get("serviceName").getAsString(),
          o.has("name") ? o.get("name").getAsString() : "",
          o.get("timestamp").getAsLong()));
    }
    return spans;
  }
}
