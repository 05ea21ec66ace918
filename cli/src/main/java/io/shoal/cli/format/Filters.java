package io.shoal.cli.format;

import io.shoal.cli.CliException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Docker's {@code --filter key=value}: values of one key are alternatives (any may match), keys
 * all apply. Each command names the keys it knows; another is refused as Docker refuses it.
 */
public final class Filters {
  private final Map<String, List<String>> values;

  private Filters(Map<String, List<String>> values) {
    this.values = values;
  }

  /** @throws CliException {@code invalid filter 'KEY'}, or a filter without {@code =} */
  public static Filters parse(List<String> filters, Set<String> known) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (String filter : filters) {
      int eq = filter.indexOf('=');
      if (eq <= 0) {
        throw new CliException("bad format of filter \"" + filter + "\" (expected name=value)");
      }
      String key = filter.substring(0, eq).strip();
      if (!known.contains(key)) {
        throw new CliException("invalid filter '" + key + "' (filters here: "
            + known.stream().sorted().collect(Collectors.joining(", ")) + ")");
      }
      values.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(filter.substring(eq + 1));
    }
    return new Filters(values);
  }

  /** Whether {@code key} is unfiltered or one of its values passes {@code test}. */
  public boolean accepts(String key, Predicate<String> test) {
    List<String> wanted = values.get(key);
    return wanted == null || wanted.stream().anyMatch(test);
  }

  /** Docker's label filter: {@code key} has the label, {@code key=value} has it with that value. */
  public static boolean label(Map<String, String> labels, String filter) {
    int eq = filter.indexOf('=');
    return eq < 0 ? labels.containsKey(filter) : filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
  }
}
