package io.shoal.cli.node;

import io.shoal.api.v1.Node;
import io.shoal.cli.CliCommand;
import io.shoal.cli.format.Display;
import io.shoal.cli.format.Filters;
import io.shoal.cli.format.FormatOutput;
import io.shoal.cli.format.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shoal node ls}: ID HOSTNAME STATUS AVAILABILITY, sorted by hostname, as Docker. */
@Command(
    name = "ls",
    aliases = "list",
    description = "List nodes in the cluster",
    mixinStandardHelpOptions = true)
public final class NodeLsCommand extends CliCommand {
  @Option(
      names = {"-q", "--quiet"},
      description = "Only display IDs")
  boolean quiet;

  @Option(names = {"-f", "--filter"}, paramLabel = "FILTER",
      description = "Filter output based on conditions provided (id, label, node.label, membership, name, role)")
  List<String> filters = new ArrayList<>();

  @Option(names = "--format", paramLabel = "TEMPLATE",
      description = "Format output using a custom template: 'table', 'table TEMPLATE', 'json', or a Go template")
  String format;

  private static final Set<String> FILTERS = Set.of("id", "label", "node.label", "membership", "name", "role");
  /** Docker's headers where splitting the placeholder's words would not give them. */
  private static final Map<String, String> HEADERS = Map.of("TLSStatus", "TLS STATUS");

  @Override
  public Integer call() {
    Filters filter = Filters.parse(filters, FILTERS);
    List<Node> nodes =
        control().listNodes().stream()
            .filter(n -> filter.accepts("id", v -> n.getId().startsWith(v)))
            .filter(n -> filter.accepts("name", v -> n.getDescription().getHostname().startsWith(v)))
            .filter(n -> filter.accepts("label", v -> Filters.label(n.getDescription().getEngineLabelsMap(), v)))
            .filter(n -> filter.accepts("node.label", v -> Filters.label(n.getSpec().getLabelsMap(), v)))
            // Every node of Shoal is an accepted worker: managers are the control-plane services.
            .filter(n -> filter.accepts("membership", v -> v.equals("accepted")))
            .filter(n -> filter.accepts("role", v -> v.equals("worker")))
            .sorted(
                Comparator.comparing((Node n) -> n.getDescription().getHostname())
                    .thenComparing(Node::getId))
            .toList();
    if (quiet) {
      nodes.forEach(n -> out().println(n.getId()));
      out().flush();
      return 0;
    }
    if (!FormatOutput.isDefault(format)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Node n : nodes) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ID", n.getId());
        row.put("Self", false); // the CLI runs on no node
        row.put("Hostname", n.getDescription().getHostname());
        row.put("Status", Display.pretty(n.getStatus().getState()));
        row.put("Availability", Display.pretty(n.getSpec().getAvailability()));
        row.put("ManagerStatus", "");
        row.put("TLSStatus", "Ready");
        row.put("EngineVersion", n.getDescription().getEngineVersion());
        rows.add(row);
      }
      FormatOutput.rows(out(), format, rows, HEADERS);
      return 0;
    }
    Table table = new Table("ID", "HOSTNAME", "STATUS", "AVAILABILITY");
    for (Node n : nodes) {
      table.add(
          n.getId(),
          n.getDescription().getHostname(),
          Display.pretty(n.getStatus().getState()),
          Display.pretty(n.getSpec().getAvailability()));
    }
    table.print(out());
    return 0;
  }
}
