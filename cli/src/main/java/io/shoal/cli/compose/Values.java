package io.shoal.cli.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed reads of a compose file's values, each failing with the key's path and what it must be. */
public final class Values {
  private Values() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object v, String path) {
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw new ComposeException(path + " must be a mapping");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, x) -> out.put(String.valueOf(k), x));
    return out;
  }

  public static String string(Object v, String path) {
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      return String.valueOf(v);
    }
    throw new ComposeException(path + " must be a string");
  }

  /** A string or a list of strings (compose allows both for dns, env_file, cap_add...). */
  public static List<String> strings(Object v, String path) {
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < l.size(); i++) {
        out.add(string(l.get(i), path + "[" + i + "]"));
      }
      return out;
    }
    return List.of(string(v, path));
  }

  /**
   * {@code KEY=VALUE} entries from a mapping ({@code KEY: VALUE}; a null value gives the bare
   * {@code KEY}) or a list of strings, in order.
   */
  public static List<String> keyValues(Object v, String path) {
    if (v instanceof Map<?, ?>) {
      List<String> out = new ArrayList<>();
      map(v, path).forEach((k, x) -> out.add(x == null ? k : k + "=" + string(x, path + "." + k)));
      return out;
    }
    return strings(v, path);
  }

  public static boolean bool(Object v, String path) {
    if (v instanceof Boolean b) {
      return b;
    }
    throw new ComposeException(path + " must be true or false");
  }

  /** Only {@code keys} may appear in {@code m}, as compose's schema allows. */
  public static void only(Map<String, Object> m, String at, String... keys) {
    java.util.Set<String> allowed = java.util.Set.of(keys);
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw new ComposeException(at + ": additional property " + k + " is not allowed (here: "
            + String.join(", ", keys) + ")");
      }
    }
  }

  /** {@code external: true} (or compose 3.3's {@code external: {name: ...}}). */
  public static boolean external(Map<String, Object> def, String at) {
    Object e = def.get("external");
    return e != null && (e instanceof Map<?, ?> || bool(e, at + ".external"));
  }

  public static long integer(Object v, String path) {
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    if (v instanceof String s && s.matches("-?\\d+")) {
      return Long.parseLong(s);
    }
    throw new ComposeException(path + " must be an integer");
  }
}
