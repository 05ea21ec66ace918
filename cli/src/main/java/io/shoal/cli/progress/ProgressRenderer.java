package io.shoal.cli.progress;

import io.shoal.api.v1.TaskState;
import io.shoal.cli.format.Display;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Draws a {@link Convergence.Snapshot} as Docker does:
 *
 * <pre>
 * overall progress: 2 out of 3 tasks
 * 1/3: running   [==================================================&gt;]
 * 2/3: running   [==================================================&gt;]
 * 3/3: preparing [=================================&gt;                 ]
 * verify: Service converged
 * </pre>
 *
 * <p>On a terminal the block is redrawn in place (cursor up, clear line). Elsewhere (pipes, CI,
 * tests) each line is printed only when its text changes, so a log shows every transition once.
 * With more than {@link #MAX_PROGRESS_BARS} lines only the overall line is drawn, as in Docker.
 */
public final class ProgressRenderer {
  public static final int MAX_PROGRESS_BARS = 20;

  /** Docker's progress steps per state ({@code numberedStates}); RUNNING fills the bar. */
  private static final Map<TaskState, Integer> STEPS =
      Map.of(
          TaskState.TASK_STATE_NEW, 1,
          TaskState.TASK_STATE_PENDING, 3,
          TaskState.TASK_STATE_ASSIGNED, 4,
          TaskState.TASK_STATE_ACCEPTED, 5,
          TaskState.TASK_STATE_PREPARING, 6,
          TaskState.TASK_STATE_STARTING, 8,
          TaskState.TASK_STATE_RUNNING, 9);

  private static final int MAX_STEP = 9;
  private static final int BAR_WIDTH = 50;

  /** Width of the longest state name shown ("preparing"), so bars line up. */
  private static final int STATE_WIDTH = 9;

  private static final String CURSOR_UP = "\033[%dA";
  private static final String CLEAR_LINE = "\r\033[2K";
  private static final String CLEAR_BELOW = "\033[J";

  private final PrintWriter out;
  private final boolean tty;
  private int drawnLines;
  private final Map<String, String> printed = new HashMap<>();
  /** The stability wait's line under the bars ("Waiting 5 seconds…"), once it started. */
  private String verify;
  private Convergence.Snapshot lastSnapshot;

  public ProgressRenderer(PrintWriter out, boolean tty) {
    this.out = out;
    this.tty = tty;
  }

  /** Shows the latest state of the wait. */
  public void draw(Convergence.Snapshot snapshot) {
    lastSnapshot = snapshot;
    List<String[]> lines = lines(snapshot);
    if (verify != null) {
      lines.add(new String[] {"verify", "verify: " + verify});
    }
    if (tty) {
      StringBuilder s = new StringBuilder();
      if (drawnLines > 0) {
        s.append(String.format(CURSOR_UP, drawnLines));
      }
      for (String[] line : lines) {
        s.append(CLEAR_LINE).append(line[1]).append('\n');
      }
      s.append(CLEAR_BELOW);
      out.print(s);
      drawnLines = lines.size();
    } else {
      for (String[] line : lines) {
        if (!line[1].equals(printed.put(line[0], line[1]))) {
          out.println(line[1]);
        }
      }
    }
    out.flush();
  }

  /** The stability wait's state (Docker's "verify: …" line), shown under the bars. */
  public void verify(String text) {
    if (text.equals(verify)) {
      return;
    }
    verify = text;
    if (lastSnapshot != null) {
      draw(lastSnapshot);
    }
  }

  /**
   * The closing line ("verify: Service converged"): on a terminal it takes the place of the
   * stability wait's line; otherwise it goes below.
   */
  public void finish(String text) {
    if (tty && verify != null && lastSnapshot != null && text.startsWith("verify: ")) {
      verify(text.substring("verify: ".length()));
    } else {
      out.println(text);
      out.flush();
    }
    drawnLines = 0;
    verify = null;
  }

  /** Pairs of (key, text); the key tells which line a text replaces when not on a terminal. */
  static List<String[]> lines(Convergence.Snapshot snapshot) {
    List<String[]> lines = new ArrayList<>();
    lines.add(
        new String[] {
          "overall",
          "overall progress: " + snapshot.converged() + " out of " + snapshot.target() + " tasks"
        });
    if (snapshot.lines().size() <= MAX_PROGRESS_BARS) {
      for (Convergence.Line line : snapshot.lines()) {
        lines.add(new String[] {line.label(), slotLine(line)});
        if (!line.note().isEmpty()) {
          lines.add(
              new String[] {
                line.label() + "\0note", " ".repeat(line.label().length() + 2) + line.note()
              });
        }
      }
    }
    return lines;
  }

  static String slotLine(Convergence.Line line) {
    String state = line.state().map(Display::lower).orElse("");
    return (line.label() + ": " + pad(state) + " " + bar(line.state())).stripTrailing();
  }

  private static String pad(String s) {
    return s.length() >= STATE_WIDTH ? s : s + " ".repeat(STATE_WIDTH - s.length());
  }

  /** Docker's {@code JSONProgress} bar: {@code [====> ]}, 50 wide, by the state's step. */
  static String bar(Optional<TaskState> state) {
    int step = state.map(s -> STEPS.getOrDefault(s, 0)).orElse(0);
    int filled = Math.min(BAR_WIDTH, (int) ((double) step / MAX_STEP * 100) / 2);
    return "[" + "=".repeat(filled) + ">" + " ".repeat(BAR_WIDTH - filled) + "]";
  }
}
