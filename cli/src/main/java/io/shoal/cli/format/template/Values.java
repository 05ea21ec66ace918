package io.shoal.cli.format.template;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** How Go's text/template prints and judges the values it is given. */
final class Values {
  static final String NO_VALUE = "<no value>";

  private Values() {}

  static String print(Object v) {
    if (v == null) {
      return NO_VALUE;
    }
    if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      return String.valueOf(d.longValue()); // JSON numbers come as doubles
    }
    if (v instanceof List<?> l) {
      return l.stream().map(Values::print).collect(Collectors.joining(" ", "[", "]"));
    }
    if (v instanceof Map<?, ?> m) {
      return new TreeMap<>(m).entrySet().stream().map(e -> e.getKey() + ":" + print(e.getValue()))
          .collect(Collectors.joining(" ", "map[", "]"));
    }
    return String.valueOf(v);
  }

  /** Go's truth: false, 0, nil and empty strings, lists and maps are false. */
  static boolean truth(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0;
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    if (v instanceof Collection<?> c) {
      return !c.isEmpty();
    }
    if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    return true;
  }
}
