package io.shoal.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ShellWordsTest {

  static Stream<Arguments> lines() {
    return Stream.of(
        Arguments.of("sh -c 'echo hi'", List.of("sh", "-c", "echo hi")),
        Arguments.of("  a   b  ", List.of("a", "b")),
        Arguments.of("", List.of()),
        Arguments.of("\"a b\" c", List.of("a b", "c")),
        Arguments.of("a\\ b", List.of("a b")),
        Arguments.of("\"say \\\"hi\\\"\"", List.of("say \"hi\"")),
        Arguments.of("\"a\\nb\"", List.of("a\\nb")),
        Arguments.of("'it'\"'\"'s'", List.of("it's")),
        Arguments.of("echo $HOME *", List.of("echo", "$HOME", "*")),
        Arguments.of("\"\"", List.of("")),
        Arguments.of("x='a b'", List.of("x=a b")),
        Arguments.of("a\tb\nc", List.of("a", "b", "c")));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("lines")
  void splitsLikeAShell(String line, List<String> words) {
    assertThat(ShellWords.split(line)).containsExactlyElementsOf(words);
  }

  static Stream<Arguments> unfinished() {
    return Stream.of(
        Arguments.of("'abc", "unterminated '"),
        Arguments.of("echo \"abc", "unterminated \""),
        Arguments.of("abc\\", "trailing \\"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unfinished")
  void rejectsUnfinishedQuoting(String line, String message) {
    assertThatThrownBy(() -> ShellWords.split(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}
