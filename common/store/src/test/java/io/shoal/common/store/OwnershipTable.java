package io.shoal.common.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key prefixes {@link Tables} declares, and the "Who owns what" table of
 * docs/ARCHITECTURE.md read back: each row's key and the parts in its "written by" column.
 */
final class OwnershipTable {
  private static final Pattern KEY = Pattern.compile("^\\|\\s*`([^`]+)`");

  private OwnershipTable() {}

  /** Every prefix in Tables: the name of each Table and Index, and each String constant. */
  static List<String> prefixes() {
    List<String> prefixes = new ArrayList<>();
    for (Field f : Tables.class.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers()) || !Modifier.isPublic(f.getModifiers())) {
        continue;
      }
      try {
        Object value = f.get(null);
        if (value instanceof Table<?> t) {
          prefixes.add(t.name());
        } else if (value instanceof Index i) {
          prefixes.add(i.name());
        } else if (value instanceof String s) {
          prefixes.add(s);
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    return prefixes;
  }

  /** One row of the table: its key and the parts that write it. */
  record Row(String key, Set<String> writers) {}

  /** The rows of the first table whose header starts "| key", in order. */
  static List<Row> rows(Path architecture) {
    List<String> lines;
    try {
      lines = Files.readAllLines(architecture);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Row> rows = new ArrayList<>();
    int i = 0;
    while (i < lines.size() && !lines.get(i).startsWith("| key")) {
      i++;
    }
    for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String line = lines.get(i);
      Matcher key = KEY.matcher(line);
      if (!key.find()) {
        throw new IllegalArgumentException("a row without a `key`: " + line);
      }
      // Cells split on '|' not escaped as '\|' (as in `ports/<tcp\|udp>/<port>`).
      String[] cells = line.split("(?<!\\\\)\\|");
      rows.add(new Row(key.group(1).replace("\\|", "|"), writers(cells[2])));
    }
    return rows;
  }

  /** "dispatcher (`status` only); scheduler": the part names, the remarks in brackets left out. */
  static Set<String> writers(String cell) {
    Set<String> writers = new TreeSet<>();
    for (String name : cell.replaceAll("\\([^)]*\\)", "").split("[,;]")) {
      if (!name.isBlank()) {
        writers.add(name.strip());
      }
    }
    return writers;
  }

  /** The declared prefix a key of the table lies under: the longest that starts it. */
  static String prefixOf(String key, List<String> prefixes) {
    return prefixes.stream().filter(p -> key.startsWith(p + "/"))
        .max(java.util.Comparator.comparingInt(String::length))
        .orElseThrow(() -> new IllegalArgumentException(key + " lies under no prefix of Tables"));
  }

  /** Per prefix, the parts {@link Writer} lets write it. */
  static Map<String, Set<String>> declaredWriters() {
    Map<String, Set<String>> declared = new LinkedHashMap<>();
    for (String prefix : prefixes()) {
      Set<String> parts = new TreeSet<>();
      for (Writer w : Writer.values()) {
        if (w.prefixes().contains(prefix)) {
          parts.add(w.part());
        }
      }
      declared.put(prefix, parts);
    }
    return declared;
  }

  /** docs/ARCHITECTURE.md, found from the module's directory upwards. */
  static Path architecture() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path doc = dir.resolve("docs/ARCHITECTURE.md");
      if (Files.isRegularFile(doc)) {
        return doc;
      }
    }
    throw new IllegalStateException("no docs/ARCHITECTURE.md above " + Path.of("").toAbsolutePath());
  }
}
