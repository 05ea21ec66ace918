package io.shoal.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.TaskState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgressRendererTest {
  static final String FULL = "[" + "=".repeat(50) + ">]";

  @ParameterizedTest(name = "{0} → {1} =")
  @CsvSource({
    "TASK_STATE_NEW, 5",
    "TASK_STATE_PENDING, 16",
    "TASK_STATE_ASSIGNED, 22",
    "TASK_STATE_ACCEPTED, 27",
    "TASK_STATE_PREPARING, 33",
    "TASK_STATE_STARTING, 44",
    "TASK_STATE_RUNNING, 50",
    "TASK_STATE_FAILED, 0",
  })
  void barsFillByStateLikeDocker(TaskState state, int filled) {
    assertThat(ProgressRenderer.bar(Optional.of(state)))
        .isEqualTo("[" + "=".repeat(filled) + ">" + " ".repeat(50 - filled) + "]")
        .hasSize(53);
  }

  @Test
  void slotLinesAlignTheBars() {
    assertThat(
            ProgressRenderer.slotLine(
                new Convergence.Line("1/3", Optional.of(TaskState.TASK_STATE_RUNNING), "")))
        .isEqualTo("1/3: running   " + FULL);
    assertThat(
            ProgressRenderer.slotLine(
                new Convergence.Line("2/3", Optional.of(TaskState.TASK_STATE_PREPARING), "")))
        .isEqualTo("2/3: preparing [" + "=".repeat(33) + ">" + " ".repeat(17) + "]");
    assertThat(ProgressRenderer.slotLine(new Convergence.Line("3/3", Optional.empty(), "")))
        .isEqualTo("3/3:           [>" + " ".repeat(50) + "]");
  }

  @Test
  void withoutATerminalPrintsOnlyLinesThatChanged() {
    StringWriter s = new StringWriter();
    ProgressRenderer r = new ProgressRenderer(new PrintWriter(s), false);
    r.draw(snapshot(0, TaskState.TASK_STATE_PREPARING, "error: exit 1"));
    r.draw(snapshot(0, TaskState.TASK_STATE_PREPARING, "error: exit 1"));
    r.draw(snapshot(1, TaskState.TASK_STATE_RUNNING, ""));
    r.finish("verify: Service converged");

    assertThat(s.toString().lines())
        .containsExactly(
            "overall progress: 0 out of 1 tasks",
            "1/1: preparing [" + "=".repeat(33) + ">" + " ".repeat(17) + "]",
            "     error: exit 1",
            "overall progress: 1 out of 1 tasks",
            "1/1: running   " + FULL,
            "verify: Service converged");
    assertThat(s.toString()).doesNotContain("\033");
  }

  @Test
  void onATerminalRedrawsTheBlockInPlace() {
    StringWriter s = new StringWriter();
    ProgressRenderer r = new ProgressRenderer(new PrintWriter(s), true);
    r.draw(snapshot(0, TaskState.TASK_STATE_PREPARING, "error: exit 1"));
    int firstDraw = s.toString().length();
    r.draw(snapshot(1, TaskState.TASK_STATE_RUNNING, ""));

    String first = s.toString().substring(0, firstDraw);
    String second = s.toString().substring(firstDraw);
    assertThat(first).doesNotContain("\033[3A").contains("\r\033[2Koverall progress: 0 out of 1");
    // Up over the three lines drawn before, rewrite two, clear the leftover error line.
    assertThat(second)
        .startsWith("\033[3A\r\033[2Koverall progress: 1 out of 1 tasks\n")
        .contains("\r\033[2K1/1: running   " + FULL + "\n")
        .endsWith("\033[J");
  }

  @Test
  void manyReplicasShowOnlyTheOverallLine() {
    List<Convergence.Line> lines =
        java.util.stream.IntStream.rangeClosed(1, 21)
            .mapToObj(i -> new Convergence.Line(i + "/21", Optional.empty(), ""))
            .toList();
    StringWriter s = new StringWriter();
    new ProgressRenderer(new PrintWriter(s), false)
        .draw(new Convergence.Snapshot(0, 21, lines, false));
    assertThat(s.toString().lines()).containsExactly("overall progress: 0 out of 21 tasks");
  }

  private static Convergence.Snapshot snapshot(long converged, TaskState state, String note) {
    return new Convergence.Snapshot(
        converged,
        1,
        List.of(new Convergence.Line("1/1", Optional.of(state), note)),
        converged == 1);
  }
}
