package io.shoal.cli.progress;

import io.shoal.api.v1.Node;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a node satisfies placement constraints ({@code KEY==VALUE}, {@code KEY!=VALUE}), for
 * the convergence rule only. The CLI does not depend on common/ (io.shoal.common.placement
 * .Constraint, which control validates with and the scheduler places with), so this mirrors its
 * matching: values compare case-insensitively, a missing label never equals, node.role is
 * "worker". Expressions reached control, so they parse; an odd one counts as satisfied.
 */
final class PlacementCheck {
  private PlacementCheck() {}

  static boolean satisfies(List<String> constraints, Node node) {
    for (String c : constraints) {
      int eq = c.indexOf("==");
      int ne = c.indexOf("!=");
      int at = eq >= 0 ? eq : ne;
      if (at < 0) {
        continue;
      }
      String key = c.substring(0, at).strip().toLowerCase(Locale.ROOT);
      String value = c.substring(at + 2).strip();
      String original = c.substring(0, at).strip();
      String actual =
          switch (key) {
            case "node.id" -> node.getId();
            case "node.hostname" -> node.getDescription().getHostname();
            case "node.role" -> "worker";
            case "node.platform.os" -> node.getDescription().getOs();
            case "node.platform.arch" -> node.getDescription().getArch();
            default ->
                key.startsWith("node.labels.")
                    ? label(node.getSpec().getLabelsMap(), original.substring("node.labels.".length()))
                    : key.startsWith("engine.labels.")
                        ? label(
                            node.getDescription().getEngineLabelsMap(),
                            original.substring("engine.labels.".length()))
                        : null;
          };
      boolean same = actual != null && actual.equalsIgnoreCase(value);
      if (same != (eq >= 0)) {
        return false;
      }
    }
    return true;
  }

  private static String label(Map<String, String> labels, String name) {
    return labels.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }
}
