package io.shoal.cli.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterpolationTest {
  private final Interpolation interpolation = new Interpolation(Map.of("TAG", "1.27", "EMPTY", ""));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "nginx:${TAG}|nginx:1.27",
      "nginx:$TAG|nginx:1.27",
      "${EMPTY:-fallback}|fallback",
      "${EMPTY-fallback}|''",
      "${UNSET-fallback}|fallback",
      "${UNSET:-a b}|a b",
      "$$HOME|$HOME",
      "no variables|no variables"})
  void substitutesAsComposeDoes(String text, String expected) {
    assertThat(interpolation.substitute(text, "services.web.image")).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "${UNSET:?set UNSET first}|required variable UNSET is missing a value: set UNSET first",
      "${TAG|an unclosed ${",
      "cost: $5|write $$ for a literal $"})
  void refusesNamingThePath(String text, String message) {
    assertThatThrownBy(() -> interpolation.substitute(text, "services.web.image"))
        .isInstanceOf(ComposeException.class).hasMessageStartingWith("services.web.image: ").hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource({"${NOPE}", "$NOPE"})
  void anUnsetVariableIsEmptyAndNamed(String text) {
    assertThat(interpolation.substitute(text, "x")).isEmpty();
    assertThat(interpolation.unset()).containsExactly("NOPE");
  }

  @org.junit.jupiter.api.Test
  void aMappingThatHoldsItselfThroughAnAliasIsRefusedNotWalkedForEver() {
    // Found by CliParsersFuzzTest: the walk overflowed the stack.
    String yaml = "services:\n  a: &self\n    image: busybox\n    loop: *self\n";
    assertThatThrownBy(() -> ComposeFile.parse("loop.yml", yaml, java.nio.file.Path.of("."), Map.of()))
        .isInstanceOf(ComposeException.class)
        .hasMessage(".services.a.loop: an alias refers to a mapping or list that holds it;"
            + " a compose file cannot contain itself");
  }

  @org.junit.jupiter.api.Test
  void aMappingAsAKeyIsRefused() {
    String yaml = "services:\n  a:\n    image: busybox\n    {z: 1}: x\n";
    assertThatThrownBy(() -> ComposeFile.parse("key.yml", yaml, java.nio.file.Path.of("."), Map.of()))
        .isInstanceOf(ComposeException.class).hasMessage(".services.a: a key must be a string, not a mapping or a list");
  }
}
