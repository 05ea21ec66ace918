package io.shoal.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.cli.CliException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FiltersTest {
  @Test
  void valuesOfOneKeyAreAlternativesAndKeysAllApply() {
    Filters f = Filters.parse(List.of("name=web", "name=api", "mode=global"), Set.of("name", "mode"));

    assertThat(f.accepts("name", v -> "db-1".startsWith(v))).isFalse();
    assertThat(f.accepts("name", v -> "api-1".startsWith(v))).isTrue();
    assertThat(f.accepts("mode", "replicated"::equals)).isFalse();
    assertThat(f.accepts("id", v -> false)).as("no filter on id").isTrue();
  }

  @Test
  void anUnknownKeyOrAFilterWithoutValueIsRefused() {
    assertThatThrownBy(() -> Filters.parse(List.of("colour=red"), Set.of("name")))
        .isInstanceOf(CliException.class).hasMessage("invalid filter 'colour' (filters here: name)");
    assertThatThrownBy(() -> Filters.parse(List.of("name"), Set.of("name")))
        .isInstanceOf(CliException.class).hasMessageContaining("expected name=value");
  }

  @Test
  void labelsMatchByKeyOrKeyAndValue() {
    Map<String, String> labels = Map.of("tier", "web");
    assertThat(Filters.label(labels, "tier")).isTrue();
    assertThat(Filters.label(labels, "tier=web")).isTrue();
    assertThat(Filters.label(labels, "tier=db")).isFalse();
    assertThat(Filters.label(labels, "team")).isFalse();
  }
}
