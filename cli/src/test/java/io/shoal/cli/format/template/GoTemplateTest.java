package io.shoal.cli.format.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GoTemplateTest {
  private static final Map<String, Object> SERVICE = service();

  private static Map<String, Object> service() {
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put("tier", "web");
    labels.put("team", "a");
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("Name", "web");
    spec.put("Labels", labels);
    spec.put("Args", List.of("httpd", "-f"));
    spec.put("Replicas", 3.0);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("ID", "abc123");
    s.put("Spec", spec);
    s.put("Ports", "");
    s.put("Global", false);
    return s;
  }

  static Stream<Arguments> templates() {
    return Stream.of(
        Arguments.of("{{.ID}}", "abc123"),
        Arguments.of("{{.Spec.Name}}: {{.Spec.Replicas}}", "web: 3"),
        Arguments.of("{{json .Spec.Args}}", "[\"httpd\",\"-f\"]"),
        Arguments.of("{{join .Spec.Args \" \"}}", "httpd -f"),
        Arguments.of("{{upper .Spec.Name}} {{lower \"A\"}} {{title \"web app\"}}", "WEB a Web App"),
        Arguments.of("{{index .Spec.Labels \"tier\"}}", "web"),
        Arguments.of("{{.Spec.Labels}}", "map[team:a tier:web]"),
        Arguments.of("{{range .Spec.Args}}<{{.}}>{{end}}", "<httpd><-f>"),
        Arguments.of("{{range .Spec.Missing}}x{{else}}none{{end}}", "none"),
        Arguments.of("{{if .Global}}global{{else}}replicated{{end}}", "replicated"),
        Arguments.of("{{if .Ports}}p{{else}}no ports{{end}}", "no ports"),
        Arguments.of("{{.Spec.Name | upper}}", "WEB"),
        Arguments.of("{{truncate .ID 3}}|{{pad .Spec.Name 1 2}}|", "abc| web  |"),
        Arguments.of("{{len .Spec.Args}} {{split \"a,b\" \",\"}}", "2 [a b]"),
        Arguments.of("{{println .ID}}", "abc123\n"),
        Arguments.of("{{printf \"%s-%v\" .ID .Spec.Replicas}}", "abc123-3"),
        Arguments.of("{{eq .Spec.Name \"web\"}} {{not .Global}} {{(index .Spec.Args 1)}}", "true true -f"),
        Arguments.of("a\\tb  {{- \" c\" -}}  d", "a\tb cd"),
        Arguments.of("{{.Spec.Nothing}}", "<no value>"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templates")
  void rendersAsGoDoes(String template, String expected) {
    assertThat(GoTemplate.parse(template).render(SERVICE, false)).isEqualTo(expected);
  }

  @Test
  void aPlaceholderTheRowLacksIsAnErrorNamingIt() {
    assertThatThrownBy(() -> GoTemplate.parse("{{.Nmae}}").render(Map.of("Name", "web"), true))
        .isInstanceOf(TemplateException.class).hasMessageContaining("can't evaluate field Nmae");
  }

  static Stream<Arguments> broken() {
    return Stream.of(
        Arguments.of("{{.Name", "unclosed action"),
        Arguments.of("{{nope .Name}}", "function \"nope\" not defined"),
        Arguments.of("{{range .A}}x", "without {{end}}"),
        Arguments.of("x{{end}}", "unexpected {{end}}"),
        Arguments.of("{{\"open}}", "unterminated quoted string"),
        Arguments.of("{{}}", "missing value for command"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("broken")
  void aBrokenTemplateIsRefusedInGosWords(String template, String message) {
    assertThatThrownBy(() -> GoTemplate.parse(template))
        .isInstanceOf(TemplateException.class).hasMessageStartingWith("template: :1: ").hasMessageContaining(message);
  }

  @Test
  void fieldsAreThoseOfTheActions() {
    assertThat(GoTemplate.parse("{{.Name}}\\t{{.CurrentState}}\\t{{upper .Image}}").fields())
        .containsExactly("Name", "CurrentState", "Image");
  }
}
