package io.shoal.common.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceSettingsTest {
  @Test
  void noEndpointIsTracingOff() {
    assertThat(TraceSettings.parse(null, null).enabled()).isFalse();
    assertThat(TraceSettings.parse("  ", "0.5").enabled()).isFalse();
    assertThat(TraceSettings.fromEnv(Map.of()).enabled()).isFalse();
  }

  @Test
  void aBaseUrlGetsZipkinsSpanPathAndAFullOneIsKept() {
    assertThat(TraceSettings.parse("http://10.0.0.1:9411", null).endpoint())
        .contains(URI.create("http://10.0.0.1:9411/api/v2/spans"));
    assertThat(TraceSettings.parse("http://10.0.0.1:9411/", null).endpoint())
        .contains(URI.create("http://10.0.0.1:9411/api/v2/spans"));
    assertThat(TraceSettings.parse("https://traces.example:443/zipkin/api/v2/spans", "0.25"))
        .isEqualTo(new TraceSettings(java.util.Optional.of(URI.create("https://traces.example:443/zipkin/api/v2/spans")), 0.25));
  }

  @Test
  void badValuesNameTheFlagOrTheVariableAndTheValue() {
    assertThatThrownBy(() -> TraceSettings.parse("zipkin:9411", null))
        .hasMessage("--trace-endpoint: expected http://HOST:PORT[/api/v2/spans] (Zipkin), got 'zipkin:9411'");
    assertThatThrownBy(() -> TraceSettings.parse("http://h:9411", "1.5"))
        .hasMessage("--trace-sampling: expected a number from 0 to 1, got '1.5'");
    assertThatThrownBy(() -> TraceSettings.parse("http://h:9411", "half"))
        .hasMessage("--trace-sampling: expected a number from 0 to 1, got 'half'");
    assertThatThrownBy(() -> TraceSettings.fromEnv(Map.of("SHOAL_TRACE_ENDPOINT", "ftp://h/")))
        .hasMessage("SHOAL_TRACE_ENDPOINT: expected http://HOST:PORT[/api/v2/spans] (Zipkin), got 'ftp://h/'");
    assertThatThrownBy(() -> TraceSettings.fromEnv(Map.of("SHOAL_TRACE_ENDPOINT", "http://h:1", "SHOAL_TRACE_SAMPLING", "NaN")))
        .hasMessage("SHOAL_TRACE_SAMPLING: expected a number from 0 to 1, got 'NaN'");
  }
}
