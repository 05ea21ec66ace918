package io.shoal.cli.format.template;

import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The functions of Docker's {@code --format} (its templates package: json, join, lower, upper,
 * title, split, truncate, pad, println) and the Go builtins used with them (print, printf, len,
 * index, eq, ne, not, and, or).
 */
final class Functions {
  private static final Set<String> NAMES = Set.of("json", "join", "lower", "upper", "title", "split", "truncate",
      "pad", "println", "print", "printf", "len", "index", "eq", "ne", "not", "and", "or");

  private Functions() {}

  static boolean exists(String name) {
    return NAMES.contains(name);
  }

  static Object call(String name, List<Object> args) {
    return switch (name) {
      case "json" -> json(one(name, args));
      case "join" -> {
        arity(name, args, 2);
        yield String.join(Values.print(args.get(1)), list(args.get(0)).stream().map(Values::print).toList());
      }
      case "lower" -> Values.print(one(name, args)).toLowerCase(Locale.ROOT);
      case "upper" -> Values.print(one(name, args)).toUpperCase(Locale.ROOT);
      case "title" -> title(Values.print(one(name, args)));
      case "split" -> {
        arity(name, args, 2);
        yield new ArrayList<Object>(Arrays.asList(
            Values.print(args.get(0)).split(java.util.regex.Pattern.quote(Values.print(args.get(1))), -1)));
      }
      case "truncate" -> {
        arity(name, args, 2);
        String s = Values.print(args.get(0));
        int n = (int) number(args.get(1));
        yield s.length() > n ? s.substring(0, n) : s;
      }
      case "pad" -> {
        arity(name, args, 3);
        yield " ".repeat((int) number(args.get(1))) + Values.print(args.get(0)) + " ".repeat((int) number(args.get(2)));
      }
      case "println" -> String.join(" ", args.stream().map(Values::print).toList()) + "\n";
      case "print" -> String.join("", args.stream().map(Values::print).toList());
      case "printf" -> printf(args);
      case "len" -> {
        Object v = one(name, args);
        yield (long) (v instanceof Collection<?> c ? c.size() : v instanceof Map<?, ?> m ? m.size()
            : Values.print(v).length());
      }
      case "index" -> {
        arity(name, args, 2);
        Object container = args.get(0);
        Object key = args.get(1);
        if (container instanceof Map<?, ?> m) {
          yield m.get(Values.print(key));
        }
        List<?> l = list(container);
        int i = (int) number(key);
        if (i < 0 || i >= l.size()) {
          throw new TemplateException("error calling index: index out of range: " + i);
        }
        yield l.get(i);
      }
      case "eq" -> {
        arity(name, args, 2);
        yield Objects.equals(Values.print(args.get(0)), Values.print(args.get(1)));
      }
      case "ne" -> {
        arity(name, args, 2);
        yield !Objects.equals(Values.print(args.get(0)), Values.print(args.get(1)));
      }
      case "not" -> !Values.truth(one(name, args));
      case "and" -> args.stream().allMatch(Values::truth);
      case "or" -> args.stream().anyMatch(Values::truth);
      default -> throw new TemplateException("function \"" + name + "\" not defined");
    };
  }

  private static String json(Object v) {
    return new GsonBuilder().disableHtmlEscaping().serializeNulls().create().toJson(v);
  }

  private static String title(String s) {
    StringBuilder b = new StringBuilder(s.length());
    boolean start = true;
    for (char c : s.toCharArray()) {
      b.append(start ? Character.toUpperCase(c) : c);
      start = !Character.isLetterOrDigit(c);
    }
    return b.toString();
  }

  /** Go's %v, %s, %d and %q, as far as --format uses them. */
  private static String printf(List<Object> args) {
    if (args.isEmpty()) {
      throw new TemplateException("wrong number of args for printf: want at least 1 got 0");
    }
    String format = Values.print(args.get(0)).replace("%v", "%s").replace("%d", "%s");
    Object[] rest = args.subList(1, args.size()).stream()
        .map(a -> format.contains("%q") ? a : Values.print(a)).toArray();
    return String.format(Locale.ROOT, format.replace("%q", "\"%s\""), rest);
  }

  private static Object one(String name, List<Object> args) {
    arity(name, args, 1);
    return args.get(0);
  }

  private static void arity(String name, List<Object> args, int n) {
    if (args.size() != n) {
      throw new TemplateException("wrong number of args for " + name + ": want " + n + " got " + args.size());
    }
  }

  private static List<?> list(Object v) {
    if (v instanceof List<?> l) {
      return l;
    }
    throw new TemplateException("can't iterate over " + Values.print(v));
  }

  private static long number(Object v) {
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(Values.print(v));
    } catch (NumberFormatException e) {
      throw new TemplateException("expected an integer; found " + Values.print(v));
    }
  }
}
