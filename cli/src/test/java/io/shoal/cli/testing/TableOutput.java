package io.shoal.cli.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a table the CLI printed back into cells, by the header's column positions, so tests check
 * both the values and that every row lines up under its header.
 */
public final class TableOutput {
  private TableOutput() {}

  /** The data rows as cells (trimmed); fails if the header is not exactly these columns. */
  public static List<List<String>> rows(List<String> lines, String... headers) {
    String header = lines.get(0);
    int[] starts = new int[headers.length];
    int from = 0;
    for (int i = 0; i < headers.length; i++) {
      starts[i] = header.indexOf(headers[i], from);
      if (starts[i] < 0 || (i == 0 && starts[i] != 0)) {
        throw new AssertionError("header " + headers[i] + " not found in: " + header);
      }
      from = starts[i] + headers[i].length();
    }
    List<List<String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < headers.length; i++) {
        int start = Math.min(starts[i], line.length());
        int end = i + 1 < headers.length ? Math.min(starts[i + 1], line.length()) : line.length();
        if (start > 0 && start < line.length() && line.charAt(start - 1) != ' ') {
          throw new AssertionError("column " + headers[i] + " is not aligned in: " + line);
        }
        cells.add(line.substring(start, end).trim());
      }
      rows.add(cells);
    }
    return rows;
  }
}
