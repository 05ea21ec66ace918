package io.shoal.common.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HostnameTemplateTest {
  private static final HostnameTemplate.Context REPLICATED = HostnameTemplate.Context.of(
      "svc1", "web", Map.of("zone", "east", "app", "shop"), "node9", "h2", "task7", 3);

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "plain|plain",
      "{{.Service.ID}}|svc1",
      "{{.Service.Name}}-{{.Task.Slot}}|web-3",
      "{{ .Node.Hostname }}.{{.Node.ID}}|h2.node9",
      "{{.Task.ID}}|task7",
      "{{.Task.Name}}|web.3.task7",
      "x{{index .Service.Labels \"zone\"}}y|xeasty",
      "{{index .Service.Labels `app`}}|shop",
      "{{index .Service.Labels \"nope\"}}z|z",
      "{{.Service.Labels}}|map[app:shop zone:east]",
      "a}}b|a}}b",
  })
  void rendersSwarmsPlaceholders(String template, String expected) {
    assertThat(HostnameTemplate.parse(template).render(REPLICATED)).isEqualTo(expected);
  }

  @Test
  void aGlobalTaskHasTheNodeIdForItsSlot() {
    HostnameTemplate.Context global =
        HostnameTemplate.Context.of("svc1", "agent", Map.of(), "node9", "h2", "task7", 0);
    assertThat(HostnameTemplate.parse("{{.Task.Slot}}/{{.Task.Name}}").render(global))
        .isEqualTo("node9/agent.node9.task7");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{{.Service.Name", "{{.Node.Platform.OS}}", "{{.service.name}}", "{{}}",
      "{{index .Node.Labels \"a\"}}", "{{printf \"%s\" .Task.ID}}"})
  void refusesWhatSwarmsContextCannotAnswer(String template) {
    assertThatThrownBy(() -> HostnameTemplate.parse(template))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching("(unclosed action|unknown placeholder).*");
  }
}
