package io.shoal.cli.format;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Column output laid out like Docker's ({@code tabwriter} with min width 10, padding 3): every
 * column but the last is padded to {@code max(widest cell + 3, 10)}; trailing blanks are dropped.
 */
public final class Table {
  private static final int MIN_WIDTH = 10;
  private static final int PADDING = 3;

  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  public Table(String... headers) {
    this.columns = headers.length;
    rows.add(headers.clone());
  }

  public Table add(String... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
    }
    rows.add(cells.clone());
    return this;
  }

  public void print(PrintWriter out) {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns - 1; c++) {
        widths[c] = Math.max(widths[c], Math.max(MIN_WIDTH, row[c].length() + PADDING));
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        line.append(row[c]);
        if (c < columns - 1) {
          line.append(" ".repeat(widths[c] - row[c].length()));
        }
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }
}
