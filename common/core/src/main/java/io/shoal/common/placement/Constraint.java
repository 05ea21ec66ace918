package io.shoal.common.placement;

import io.shoal.api.v1.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A placement constraint, {@code KEY==VALUE} or {@code KEY!=VALUE}, as Swarm's --constraint
 * takes it (SwarmKit's manager/constraint). Keys: node.id, node.hostname, node.role,
 * node.platform.os, node.platform.arch, node.labels.LABEL, engine.labels.LABEL. Values compare
 * case-insensitively, as in Swarm; a missing label never equals anything (so {@code !=} holds).
 * Shared by control (which rejects a bad expression at create time) and the scheduler (which
 * matches nodes).
 */
public record Constraint(String key, boolean equal, String value) {
  private static final Pattern KEY = Pattern.compile("(?i)[a-z_][a-z0-9\\-_.]*");
  private static final Pattern VALUE = Pattern.compile("(?i)[a-z0-9:\\-_\\s.*()?+\\[\\]\\\\^$|/@]+");
  private static final List<String> FIXED =
      List.of("node.id", "node.hostname", "node.role", "node.platform.os", "node.platform.arch");
  /** Every Shoal node runs tasks; none is a manager. */
  static final String ROLE = "worker";

  /** Parses one expression; {@link IllegalArgumentException} says what is wrong, in Swarm's words. */
  public static Constraint parse(String expression) {
    int eq = expression.indexOf("==");
    int ne = expression.indexOf("!=");
    if ((eq < 0) == (ne < 0) || expression.indexOf("==", eq + 2) >= 0 && eq >= 0
        || ne >= 0 && expression.indexOf("!=", ne + 2) >= 0) {
      throw new IllegalArgumentException("constraint \"" + expression
          + "\" expected one operator from ==, !=");
    }
    int at = eq >= 0 ? eq : ne;
    String key = expression.substring(0, at).strip();
    String value = expression.substring(at + 2).strip();
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("constraint \"" + expression + "\": key \"" + key + "\" is invalid");
    }
    String lower = key.toLowerCase(Locale.ROOT);
    if (!FIXED.contains(lower) && !labelKey(lower, "node.labels.") && !labelKey(lower, "engine.labels.")) {
      throw new IllegalArgumentException("constraint \"" + expression + "\": unknown key \"" + key
          + "\" (use node.id, node.hostname, node.role, node.platform.os, node.platform.arch,"
          + " node.labels.LABEL or engine.labels.LABEL)");
    }
    if (!VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException("constraint \"" + expression + "\": value \"" + value + "\" is invalid");
    }
    return new Constraint(key, eq >= 0, value);
  }

  public static List<Constraint> parseAll(List<String> expressions) {
    List<Constraint> all = new ArrayList<>();
    expressions.forEach(e -> all.add(parse(e)));
    return all;
  }

  private static boolean labelKey(String lower, String prefix) {
    return lower.startsWith(prefix) && lower.length() > prefix.length();
  }

  /** Whether {@code node} satisfies this constraint. */
  public boolean matches(Node node) {
    String lower = key.toLowerCase(Locale.ROOT);
    String actual = switch (lower) {
      case "node.id" -> node.getId();
      case "node.hostname" -> node.getDescription().getHostname();
      case "node.role" -> ROLE;
      case "node.platform.os" -> node.getDescription().getOs();
      case "node.platform.arch" -> node.getDescription().getArch();
      default -> lower.startsWith("node.labels.")
          ? label(node.getSpec().getLabelsMap(), key.substring("node.labels.".length()))
          : label(node.getDescription().getEngineLabelsMap(), key.substring("engine.labels.".length()));
    };
    boolean same = actual != null && actual.equalsIgnoreCase(value);
    return equal == same;
  }

  private static String label(Map<String, String> labels, String name) {
    String exact = labels.get(name);
    if (exact != null) {
      return exact;
    }
    return labels.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue).findFirst().orElse(null);
  }

  /** Whether {@code node} satisfies every constraint. */
  public static boolean matchesAll(List<Constraint> constraints, Node node) {
    for (Constraint c : constraints) {
      if (!c.matches(node)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return key + (equal ? "==" : "!=") + value;
  }
}
