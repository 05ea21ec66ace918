package io.shoal.fuzzing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FuzzInputsTest {
  @Test
  void corpusLinesUndoTheirEscapesAndSkipBlankLines() {
    assertThat(FuzzInputs.lines("a\\nb\n\n  \nc\\\\d\\0\nend\\")).containsExactly("a\nb", "c\\d\0", "end\\");
  }

  @Test
  void editsApplyInTurnAndStayInsideTheText() {
    List<FuzzInputs.Edit> edits = List.of(
        new FuzzInputs.Edit(FuzzInputs.Kind.INSERT, 0, '@', 1),
        new FuzzInputs.Edit(FuzzInputs.Kind.REPLACE, 1, '!', 1),
        new FuzzInputs.Edit(FuzzInputs.Kind.REPEAT, 0, 'x', 2),
        new FuzzInputs.Edit(FuzzInputs.Kind.CUT, 0.5, 'x', 1));

    assertThat(FuzzInputs.mutate("web", edits)).isEqualTo("@w@w@w");
    assertThat(FuzzInputs.mutate("", List.of(new FuzzInputs.Edit(FuzzInputs.Kind.DELETE, 1, 'x', 9)))).isEmpty();
  }

  @Test
  void aSeedDrawsTheCorpusFirstAndThenTheSameInputsEveryTime() {
    FuzzInputs inputs = FuzzInputs.around(List.of("web:1", "db"));

    List<String> drawn = inputs.draw(7, 100);

    assertThat(drawn).hasSize(100).startsWith("web:1", "db", "");
    assertThat(inputs.draw(7, 100)).isEqualTo(drawn);
    assertThat(inputs.draw(8, 100)).isNotEqualTo(drawn);
  }

  @Test
  void aFailingInputIsReportedEscapedWithItsSeed() {
    System.setProperty("shoal.fuzz.seed", "5");
    try {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fuzz.check(FuzzInputs.around(List.of("a\nb")), 10,
          input -> {
            if (input.contains("\n")) {
              throw new IllegalStateException("boom");
            }
          }))
          .hasMessageStartingWith("fuzz input #0 of seed 5 (-Dshoal.fuzz.seed=5): \"a\\nb\": java.lang.IllegalStateException: boom");
    } finally {
      System.clearProperty("shoal.fuzz.seed");
    }
  }
}
