package io.shoal.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ListServicesResponse;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonTest {

  static Stream<Arguments> escapes() {
    return Stream.of(
        Arguments.of("\"A\\u003d1\"", "\"A=1\""),
        Arguments.of("\"\\u003cb\\u003e \\u0026 \\u0027\"", "\"<b> & '\""),
        Arguments.of("\"\\u003D\"", "\"=\""),
        // An escaped backslash, then the text u003d: not an escape.
        Arguments.of("\"\\\\u003d\"", "\"\\\\u003d\""),
        Arguments.of("\"\\\"quoted\\\" \\n \\u00e9\"", "\"\\\"quoted\\\" \\n \\u00e9\""),
        Arguments.of("\"trailing \\", "\"trailing \\"));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("escapes")
  void undoesOnlyHtmlSafeEscapes(String json, String expected) {
    assertThat(Json.unescapeHtmlSafe(json)).isEqualTo(expected);
  }

  @Test
  void arrayRoundTripsThroughProtobufsParser() throws Exception {
    Service s =
        Service.newBuilder()
            .setId("abc")
            .setSpec(
                ServiceSpec.newBuilder()
                    .setName("web")
                    .setContainer(
                        ContainerSpec.newBuilder()
                            .addEnv("A=1")
                            .addEnv("HTML=<b>&'")
                            .addEnv("LITERAL=\\u003d")))
            .build();
    String json = Json.array(List.of(s, s));

    assertThat(json).startsWith("[\n  {\n    \"id\": \"abc\",").endsWith("\n  }\n]");
    assertThat(json).contains("\"A=1\"", "\"HTML=<b>&'\"", "\"LITERAL=\\\\u003d\"");
    ListServicesResponse.Builder parsed = ListServicesResponse.newBuilder();
    JsonFormat.parser().merge("{\"services\": " + json + "}", parsed);
    assertThat(parsed.getServicesList()).containsExactly(s, s);
  }

  @Test
  void emptyIsAnEmptyArray() throws Exception {
    assertThat(Json.array(List.of())).isEqualTo("[]");
  }
}
