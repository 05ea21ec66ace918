package io.shoal.control.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Prometheus's HTTP API for the page's graphs: one range query, the last {@link #WINDOW} at
 * {@link #STEP}, answered as {@code [[unix seconds, value], ...]} of its first series.
 */
public final class PrometheusClient {
  static final Duration WINDOW = Duration.ofMinutes(15);
  static final Duration STEP = Duration.ofSeconds(5);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  public PrometheusClient(URI base, Clock clock) {
    this.base = base;
    this.clock = clock;
  }

  /** The points of {@code query} over the last {@link #WINDOW}. */
  CompletableFuture<JsonArray> range(String query) {
    long end = clock.instant().getEpochSecond();
    long start = end - WINDOW.toSeconds();
    String url = base.toString().replaceAll("/+$", "") + "/api/v1/query_range?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&start=" + start + "&end=" + end
        + "&step=" + STEP.toSeconds();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
      if (response.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + response.statusCode() + ": " + abbreviate(response.body()));
      }
      return points(response.body());
    });
  }

  /** The first series' values of a query_range answer, as numbers. */
  static JsonArray points(String body) {
    JsonObject root = JsonParser.parseString(body).getAsJsonObject();
    JsonArray result = root.getAsJsonObject("data").getAsJsonArray("result");
    JsonArray points = new JsonArray();
    if (result.isEmpty()) {
      return points;
    }
    for (JsonElement value : result.get(0).getAsJsonObject().getAsJsonArray("values")) {
      JsonArray pair = value.getAsJsonArray();
      JsonArray point = new JsonArray();
      point.add(pair.get(0).getAsDouble());
      String v = pair.get(1).getAsString();
      point.add(v.equals("NaN") || v.contains("Inf") ? 0 : Double.parseDouble(v));
      points.add(point);
    }
    return points;
  }

  private static String abbreviate(String body) {
    return body.length() > 200 ? body.substring(0, 200) + "…" : body;
  }
}
