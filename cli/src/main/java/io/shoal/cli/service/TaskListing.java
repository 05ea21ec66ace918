package io.shoal.cli.service;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.Task;
import io.shoal.cli.format.Display;
import io.shoal.cli.format.Filters;
import io.shoal.cli.format.FormatOutput;
import io.shoal.cli.format.HumanDuration;
import io.shoal.cli.format.Table;
import io.shoal.common.time.Timestamps;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Tasks as {@code docker service ps} and {@code docker node ps} show them: grouped by slot (or,
 * for a global service, node), newest first, the older ones indented as {@code \_ web.1};
 * Docker's filters (id, name, node, desired-state) and {@code --format} placeholders (.ID,
 * .Name, .Image, .Node, .DesiredState, .CurrentState, .Error, .Ports).
 */
public final class TaskListing {
  public static final Set<String> FILTERS = Set.of("id", "name", "node", "desired-state");

  static final Comparator<Task> ORDER =
      Comparator.comparing(Task::getServiceName)
          .thenComparing(Task::getServiceId)
          .thenComparingLong(Task::getSlot)
          // A global service's tasks have no slot: their node is their place.
          .thenComparing(t -> t.getSlot() == 0 ? t.getNodeId() : "")
          .thenComparing(
              Comparator.comparingLong((Task t) -> t.getCreateTime().getSeconds())
                  .thenComparingInt(t -> t.getCreateTime().getNanos())
                  .reversed());

  /** Node id → hostname, built once: every row and the node filter look one up. */
  private final Map<String, String> hostnames;
  private final boolean noTrunc;

  /** @param nodes the cluster's nodes, for hostnames and the node filter */
  public TaskListing(List<Node> nodes, boolean noTrunc) {
    this.hostnames = nodes.stream().collect(java.util.stream.Collectors.toMap(
        Node::getId, n -> n.getDescription().getHostname(), (a, b) -> a));
    this.noTrunc = noTrunc;
  }

  /** {@code tasks} that pass {@code filter}, in Docker's order. */
  public List<Task> select(List<Task> tasks, Filters filter) {
    return tasks.stream()
        .filter(t -> filter.accepts("id", v -> t.getId().startsWith(v)))
        .filter(t -> filter.accepts("name", v -> name(t).startsWith(v)))
        .filter(t -> filter.accepts("node", v -> t.getNodeId().equals(v) || hostname(t.getNodeId()).equals(v)))
        .filter(t -> filter.accepts("desired-state", v -> Display.pretty(t.getDesiredState()).equalsIgnoreCase(v)))
        .sorted(ORDER)
        .toList();
  }

  public String id(String id) {
    return noTrunc ? id : Display.shortId(id);
  }

  /** Prints {@code tasks} (in order) as the default table, or through {@code format}. */
  public void print(PrintWriter out, List<Task> tasks, Instant now, String format) {
    List<Map<String, Object>> rows = new ArrayList<>();
    String previous = null;
    for (Task t : tasks) {
      String name = name(t);
      String shownName = name.equals(previous) ? " \\_ " + name : name;
      previous = name;
      String image = t.getSpec().getContainer().getImage();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("ID", id(t.getId()));
      row.put("Name", shownName);
      row.put("Image", noTrunc ? image : Display.shortImage(image));
      row.put("Node", hostname(t.getNodeId()));
      row.put("DesiredState", Display.pretty(t.getDesiredState()));
      row.put("CurrentState", currentState(t, now));
      row.put("Error", Display.error(t.getStatus().getErr(), noTrunc));
      row.put("Ports", Display.taskPorts(t.getStatus().getPortsList()));
      rows.add(row);
    }
    if (!FormatOutput.isDefault(format)) {
      FormatOutput.rows(out, format, rows, Map.of());
      return;
    }
    Table table =
        new Table("ID", "NAME", "IMAGE", "NODE", "DESIRED STATE", "CURRENT STATE", "ERROR", "PORTS");
    rows.forEach(r -> table.add(r.values().stream().map(String::valueOf).toArray(String[]::new)));
    table.print(out);
  }

  private String hostname(String nodeId) {
    return hostnames.getOrDefault(nodeId, nodeId);
  }

  /** {@code web.1} for a slot; {@code web.<node id>} for a task of a global service. */
  static String name(Task t) {
    String service = t.getServiceName().isEmpty() ? t.getServiceId() : t.getServiceName();
    return service + "." + (t.getSlot() != 0 ? String.valueOf(t.getSlot()) : t.getNodeId());
  }

  /** Docker's "Running 2 seconds ago": the state, then the lower-cased relative time. */
  private static String currentState(Task t, Instant now) {
    String state = Display.pretty(t.getStatus().getState());
    if (!t.getStatus().hasTimestamp()) {
      return state;
    }
    Instant at = Timestamps.toInstant(t.getStatus().getTimestamp());
    return state + " " + HumanDuration.ago(Duration.between(at, now)).toLowerCase(Locale.ROOT);
  }
}
