package io.shoal.common.tracing;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/**
 * Where a process sends its spans and what share of new traces it keeps: the {@code
 * --trace-endpoint}/{@code --trace-sampling} flags of every service, and SHOAL_TRACE_ENDPOINT /
 * SHOAL_TRACE_SAMPLING for them and the CLI. Without an endpoint nothing is recorded or sent.
 *
 * @param endpoint Zipkin's span endpoint ({@code http://HOST:9411/api/v2/spans}); empty: tracing off
 * @param sampling the share of new traces recorded, 0 to 1; a call that arrives traced is
 *     recorded whatever this says (the caller decided), so one request's trace is never cut
 */
public record TraceSettings(Optional<URI> endpoint, double sampling) {
  /** Zipkin's v2 span endpoint, appended to an endpoint given as a bare base URL. */
  static final String ZIPKIN_SPANS_PATH = "/api/v2/spans";

  /** No trace store: spans are not recorded. */
  public static final TraceSettings OFF = new TraceSettings(Optional.empty(), 1.0);

  public TraceSettings {
    if (!(sampling >= 0 && sampling <= 1)) {
      throw new IllegalArgumentException("trace sampling must be between 0 and 1, got " + sampling);
    }
  }

  public boolean enabled() {
    return endpoint.isPresent();
  }

  /**
   * Parses the flags' values: {@code endpoint} null or blank turns tracing off; a bare base URL
   * ({@code http://127.0.0.1:9411}) gets Zipkin's span path.
   *
   * @throws IllegalArgumentException naming the flag and the value when either is malformed
   */
  public static TraceSettings parse(String endpoint, String sampling) {
    return parse(endpoint, sampling, "--trace-endpoint", "--trace-sampling");
  }

  /** SHOAL_TRACE_ENDPOINT and SHOAL_TRACE_SAMPLING of {@code env} (the CLI's), named so in errors. */
  public static TraceSettings fromEnv(Map<String, String> env) {
    return parse(env.get("SHOAL_TRACE_ENDPOINT"), env.get("SHOAL_TRACE_SAMPLING"),
        "SHOAL_TRACE_ENDPOINT", "SHOAL_TRACE_SAMPLING");
  }

  private static TraceSettings parse(String endpoint, String sampling, String endpointName, String samplingName) {
    double share;
    try {
      share = sampling == null || sampling.isBlank() ? 1.0 : Double.parseDouble(sampling.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(samplingName + ": expected a number from 0 to 1, got '" + sampling + "'");
    }
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException(samplingName + ": expected a number from 0 to 1, got '" + sampling + "'");
    }
    if (endpoint == null || endpoint.isBlank()) {
      return new TraceSettings(Optional.empty(), share);
    }
    return new TraceSettings(Optional.of(spansUri(endpoint.strip(), endpointName)), share);
  }

  private static URI spansUri(String endpoint, String name) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(name + ": not a URL: '" + endpoint + "'");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          name + ": expected http://HOST:PORT[/api/v2/spans] (Zipkin), got '" + endpoint + "'");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    return path.isEmpty() || path.equals("/") ? uri.resolve(ZIPKIN_SPANS_PATH) : uri;
  }
}
