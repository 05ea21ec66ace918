package io.shoal.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvFileTest {
  @Test
  void readsLinesSkipsCommentsAndTakesBareKeysFromTheEnvironment() {
    String text = "# settings\nA=1\n\n  B=two words\r\nHOME\nUNSET\nC=\nD=x=y\n";

    assertThat(EnvFile.parse("app.env", text, Map.of("HOME", "/root")))
        .containsExactly("A=1", "B=two words", "HOME=/root", "C=", "D=x=y");
  }

  @Test
  void aKeyWithWhitespaceNamesTheLine() {
    assertThatThrownBy(() -> EnvFile.parse("app.env", "A=1\nMY VAR=2\n", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("app.env line 2: variable 'MY VAR' contains whitespaces or is empty");
  }
}
