package io.shoal.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class EnvListTest {

  static Stream<Arguments> edits() {
    return Stream.of(
        // current, --env-add, --env-rm, expected
        Arguments.of("A=1 B=2", "B=3", "", "A=1 B=3"),
        Arguments.of("A=1", "C=3", "", "A=1 C=3"),
        Arguments.of("A=1 B=2", "", "A", "B=2"),
        Arguments.of("A=1 B=2", "A=9", "A", "B=2 A=9"),
        Arguments.of("A=1 A=2 B=3", "A=5", "", "A=5 B=3"),
        Arguments.of("A=1 B=2 A=3", "", "A", "B=2"),
        Arguments.of("A=1", "", "Z", "A=1"),
        Arguments.of("A=1 AB=2", "", "A", "AB=2"),
        Arguments.of("A=x=y", "", "A=whatever", ""),
        Arguments.of("A=1", "A=", "", "A="),
        Arguments.of("A=1 B=2", "B=2", "", "A=1 B=2"),
        Arguments.of("", "X=1 Y=2 X=3", "", "X=3 Y=2"));
  }

  @ParameterizedTest(name = "{0} +[{1}] -[{2}] → {3}")
  @MethodSource("edits")
  void removesThenAddsKeepingOrder(String current, String add, String remove, String expected) {
    assertThat(EnvList.edit(words(current), words(add), words(remove)))
        .containsExactlyElementsOf(words(expected));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "A=1, A=1",
    "A=, A=",
    "A==b, A==b",
    "PATH_X=/bin:/usr/bin, PATH_X=/bin:/usr/bin",
    "FROM_CLIENT, FROM_CLIENT=client value",
  })
  void resolvesEntries(String entry, String expected) {
    assertThat(EnvList.resolve(entry, Map.of("FROM_CLIENT", "client value"))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "=x, empty variable name",
    "'A B=1', variable name contains whitespace",
    "MISSING, MISSING is not set here; use MISSING=VALUE",
  })
  void rejectsBadEntries(String entry, String message) {
    assertThatThrownBy(() -> EnvList.resolve(entry, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad env \"" + entry + "\": " + message);
  }

  private static List<String> words(String s) {
    return s.isBlank() ? List.of() : Arrays.asList(s.trim().split(" +"));
  }
}
