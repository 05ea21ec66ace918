package io.shoal.cli.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compose's variable substitution in every string value: {@code $VAR}, {@code ${VAR}},
 * {@code ${VAR:-default}} (unset or empty), {@code ${VAR-default}} (unset), {@code ${VAR:?error}}
 * and {@code ${VAR?error}}, and {@code $$} for a literal {@code $}. An unset variable without a
 * default is the empty string, and is named in {@link #unset} for a warning, as compose does.
 */
public final class Interpolation {
  private final Map<String, String> env;
  private final Set<String> unset = new TreeSet<>();

  public Interpolation(Map<String, String> env) {
    this.env = env;
  }

  /** Variables used without a value or a default. */
  public Set<String> unset() {
    return unset;
  }

  /**
   * {@code value} with every string in it substituted; {@code path} names it in errors. A YAML
   * alias may make a mapping contain itself, and a key may be a mapping: both are refused, as a
   * compose file has neither (CliParsersFuzzTest found the first overflowing the stack).
   */
  public Object apply(Object value, String path) {
    return apply(value, path, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
  }

  private Object apply(Object value, String path, Set<Object> enclosing) {
    if (value instanceof String s) {
      return substitute(s, path);
    }
    if (!(value instanceof Map<?, ?>) && !(value instanceof List<?>)) {
      return value;
    }
    if (!enclosing.add(value)) {
      throw new ComposeException(path + ": an alias refers to a mapping or list that holds it; a compose file"
          + " cannot contain itself");
    }
    try {
      if (value instanceof Map<?, ?> m) {
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (e.getKey() instanceof Map<?, ?> || e.getKey() instanceof List<?>) {
            throw new ComposeException(path + ": a key must be a string, not a mapping or a list");
          }
          out.put(e.getKey(), apply(e.getValue(), path + "." + e.getKey(), enclosing));
        }
        return out;
      }
      List<?> l = (List<?>) value;
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < l.size(); i++) {
        out.add(apply(l.get(i), path + "[" + i + "]", enclosing));
      }
      return out;
    } finally {
      enclosing.remove(value);
    }
  }

  String substitute(String s, String path) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '$' || i + 1 >= s.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = s.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '{') {
        int close = s.indexOf('}', i + 2);
        if (close < 0) {
          throw new ComposeException(path + ": invalid interpolation format for \"" + s + "\" (an unclosed ${)");
        }
        out.append(braced(s.substring(i + 2, close), s, path));
        i = close + 1;
      } else if (Character.isLetter(next) || next == '_') {
        int end = i + 1;
        while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
          end++;
        }
        out.append(value(s.substring(i + 1, end)));
        i = end;
      } else {
        throw new ComposeException(path + ": invalid interpolation format for \"" + s
            + "\" (a $ that starts no variable; write $$ for a literal $)");
      }
    }
    return out.toString();
  }

  private String braced(String inner, String whole, String path) {
    int op = 0;
    while (op < inner.length() && (Character.isLetterOrDigit(inner.charAt(op)) || inner.charAt(op) == '_')) {
      op++;
    }
    String name = inner.substring(0, op);
    if (name.isEmpty()) {
      throw new ComposeException(path + ": invalid interpolation format for \"" + whole + "\"");
    }
    String rest = inner.substring(op);
    String set = env.get(name);
    if (rest.isEmpty()) {
      return value(name);
    }
    boolean colon = rest.startsWith(":");
    String kind = rest.substring(colon ? 1 : 0, colon ? 2 : 1);
    String arg = rest.substring(colon ? 2 : 1);
    boolean missing = set == null || (colon && set.isEmpty());
    switch (kind) {
      case "-":
        return missing ? arg : set;
      case "?":
        if (missing) {
          throw new ComposeException(path + ": required variable " + name + " is missing a value: " + arg);
        }
        return set;
      default:
        throw new ComposeException(path + ": invalid interpolation format for \"" + whole + "\"");
    }
  }

  private String value(String name) {
    String v = env.get(name);
    if (v == null) {
      unset.add(name);
      return "";
    }
    return v;
  }
}
