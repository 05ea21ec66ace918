package io.shoal.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void padsColumnsLikeDockersTabwriter() {
    StringWriter s = new StringWriter();
    new Table("ID", "NAME", "PORTS")
        .add("abc", "a-rather-long-name", "")
        .add("abcdefghijkl", "web", "*:8080->80/tcp")
        .print(new PrintWriter(s));
    assertThat(s.toString().lines())
        .containsExactly(
            // min width 10, else widest + 3; the last column unpadded, no trailing blanks
            "ID" + " ".repeat(13) + "NAME" + " ".repeat(17) + "PORTS",
            "abc" + " ".repeat(12) + "a-rather-long-name",
            "abcdefghijkl" + " ".repeat(3) + "web" + " ".repeat(18) + "*:8080->80/tcp");
  }

  @Test
  void refusesRowsOfTheWrongWidth() {
    assertThatThrownBy(() -> new Table("A", "B").add("only one"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
