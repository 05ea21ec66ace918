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
}
