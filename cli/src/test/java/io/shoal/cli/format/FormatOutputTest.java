package io.shoal.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.cli.CliException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormatOutputTest {
  private static Map<String, Object> row(String name, String state) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("Name", name);
    r.put("CurrentState", state);
    r.put("TLSStatus", "Ready");
    return r;
  }

  private static String print(String format, Map<String, String> headers) {
    StringWriter s = new StringWriter();
    FormatOutput.rows(new PrintWriter(s), format,
        List.of(row("web.1", "Running 2 seconds ago"), row("a-much-longer-name.2", "Starting")), headers);
    return s.toString();
  }

  @Test
  void tableAddsDockersHeadersAndAlignsTheColumns() {
    assertThat(print("table {{.Name}}\\t{{.CurrentState}}\\t{{.TLSStatus}}", Map.of("TLSStatus", "TLS STATUS")))
        .isEqualTo("""
            NAME                   CURRENT STATE           TLS STATUS
            web.1                  Running 2 seconds ago   Ready
            a-much-longer-name.2   Starting                Ready
            """);
  }

  @Test
  void aTemplateIsOneLinePerRowAndJsonIsEachRowsJson() {
    assertThat(print("{{.Name}}", Map.of())).isEqualTo("web.1\na-much-longer-name.2\n");
    assertThat(print("json", Map.of()).lines().findFirst().orElseThrow())
        .isEqualTo("{\"Name\":\"web.1\",\"CurrentState\":\"Running 2 seconds ago\",\"TLSStatus\":\"Ready\"}");
  }

  @Test
  void errorsAreOneLineAsDockersAre() {
    assertThatThrownBy(() -> print("{{.Name", Map.of())).isInstanceOf(CliException.class)
        .hasMessage("template parsing error: template: :1: unclosed action");
    assertThatThrownBy(() -> print("{{.Nmae}}", Map.of())).isInstanceOf(CliException.class)
        .hasMessageContaining("can't evaluate field Nmae");
  }

  @Test
  void placeholderWordsMakeTheHeader() {
    assertThat(FormatOutput.header("CurrentState")).isEqualTo("CURRENT STATE");
    assertThat(FormatOutput.header("ID")).isEqualTo("ID");
  }
}
