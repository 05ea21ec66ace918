package io.shoal.cli.format;

import io.shoal.cli.CliException;
import io.shoal.cli.format.template.GoTemplate;
import io.shoal.cli.format.template.TemplateException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Docker's {@code --format}: a Go template run on each row (its placeholders, as a map) or each
 * inspected object (its JSON); {@code table TEMPLATE} adds a header and aligns the
 * tab-separated cells as the default table does; {@code json} is {@code {{json .}}}.
 */
public final class FormatOutput {
  private FormatOutput() {}

  /** Whether {@code format} asks for the command's default table ({@code table} alone, or none). */
  public static boolean isDefault(String format) {
    return format == null || format.isBlank() || format.strip().equals("table");
  }

  /**
   * Prints {@code rows} through {@code format}.
   *
   * @param headers a table's header per placeholder ({@code CurrentState} → {@code CURRENT STATE});
   *     a placeholder not listed is upper-cased with spaces between its words
   */
  public static void rows(PrintWriter out, String format, List<Map<String, Object>> rows, Map<String, String> headers) {
    String source = format.strip();
    boolean table = source.startsWith("table ");
    GoTemplate template = parse(table ? source.substring(6).stripLeading() : source.equals("json") ? "{{json .}}" : source);
    List<String> lines = new ArrayList<>();
    try {
      if (table) {
        Map<String, Object> header = new LinkedHashMap<>();
        for (String field : template.fields()) {
          header.put(field, headers.getOrDefault(field, header(field)));
        }
        lines.add(template.render(header, false));
      }
      for (Map<String, Object> row : rows) {
        lines.add(template.render(row, true));
      }
    } catch (TemplateException e) {
      throw new CliException(e.getMessage(), e);
    }
    if (table) {
      printAligned(out, lines);
    } else {
      lines.forEach(out::println);
    }
    out.flush();
  }

  /** Prints each inspected object ({@code objects}, as their JSON maps) through {@code format}. */
  public static void objects(PrintWriter out, String format, List<Object> objects) {
    GoTemplate template = parse(format.strip().equals("json") ? "{{json .}}" : format);
    try {
      for (Object o : objects) {
        out.println(template.render(o, false));
      }
    } catch (TemplateException e) {
      throw new CliException(e.getMessage(), e);
    }
    out.flush();
  }

  private static GoTemplate parse(String source) {
    try {
      return GoTemplate.parse(source);
    } catch (TemplateException e) {
      throw new CliException("template parsing error: " + e.getMessage(), e);
    }
  }

  /** {@code CurrentState} → {@code CURRENT STATE}, {@code ID} → {@code ID}. */
  static String header(String field) {
    return field.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
  }

  /** Tab-separated cells laid out as {@link Table} lays out the default output. */
  private static void printAligned(PrintWriter out, List<String> lines) {
    List<String[]> rows = new ArrayList<>();
    int columns = 0;
    for (String line : lines) {
      String[] parts = line.split("\n", -1);
      for (int i = 0; i < parts.length; i++) {
        String l = parts[i];
        if (l.isEmpty() && i == parts.length - 1 && i > 0) {
          continue; // the newline that ends a row (println)
        }
        String[] cells = l.split("\t", -1);
        rows.add(cells);
        columns = Math.max(columns, cells.length);
      }
    }
    Table table = null;
    for (String[] cells : rows) {
      String[] padded = Arrays.copyOf(cells, columns);
      Arrays.setAll(padded, i -> padded[i] == null ? "" : padded[i]);
      if (table == null) {
        table = new Table(padded);
      } else {
        table.add(padded);
      }
    }
    if (table != null) {
      table.print(out);
    }
  }
}
