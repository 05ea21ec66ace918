package io.shoal.cli.service;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.cli.CliCommand;
import io.shoal.cli.client.ControlClient;
import io.shoal.cli.format.Display;
import io.shoal.cli.format.Filters;
import io.shoal.cli.format.FormatOutput;
import io.shoal.cli.format.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shoal service ls}: ID NAME MODE REPLICAS IMAGE PORTS, sorted by name. REPLICAS is
 * running/desired, where running counts tasks meant to run that are RUNNING; desired is the replica
 * count, or for a global service the number of tasks meant to run.
 */
@Command(
    name = "ls",
    aliases = "list",
    description = "List services",
    mixinStandardHelpOptions = true)
public final class ServiceLsCommand extends CliCommand {
  @Option(
      names = {"-q", "--quiet"},
      description = "Only display IDs")
  boolean quiet;

  @Option(names = {"-f", "--filter"}, paramLabel = "FILTER",
      description = "Filter output based on conditions provided (id, label, mode, name)")
  List<String> filters = new ArrayList<>();

  @Option(names = "--format", paramLabel = "TEMPLATE",
      description = "Format output using a custom template: 'table', 'table TEMPLATE', 'json', or a Go template")
  String format;

  private static final Set<String> FILTERS = Set.of("id", "label", "mode", "name");

  @Override
  public Integer call() {
    Filters filter = Filters.parse(filters, FILTERS);
    List<Service> services =
        control().listServices().stream()
            .filter(s -> filter.accepts("id", v -> s.getId().startsWith(v)))
            .filter(s -> filter.accepts("name", v -> s.getSpec().getName().startsWith(v)))
            .filter(s -> filter.accepts("label", v -> Filters.label(s.getSpec().getLabelsMap(), v)))
            .filter(s -> filter.accepts("mode", v -> v.equals(s.getSpec().hasGlobal() ? "global" : "replicated")))
            .toList();
    print(out(), control(), services, quiet, format);
    return 0;
  }

  /**
   * {@code services} sorted by name as {@code service ls} shows them (also {@code stack
   * services}): ids only when {@code quiet}, else the table or {@code format}.
   */
  public static void print(PrintWriter out, ControlClient control, List<Service> unsorted, boolean quiet,
      String format) {
    List<Service> services =
        unsorted.stream().sorted(Comparator.comparing((Service s) -> s.getSpec().getName())).toList();
    if (quiet) {
      services.forEach(s -> out.println(Display.shortId(s.getId())));
      out.flush();
      return;
    }
    Map<String, long[]> counts = new HashMap<>();
    if (!services.isEmpty()) {
      for (Task t : control.listTasks("")) {
        if (t.getDesiredState() != TaskState.TASK_STATE_RUNNING) {
          continue;
        }
        long[] c = counts.computeIfAbsent(t.getServiceId(), k -> new long[2]);
        c[1]++; // meant to run
        if (t.getStatus().getState() == TaskState.TASK_STATE_RUNNING) {
          c[0]++;
        }
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Service s : services) {
      long[] c = counts.getOrDefault(s.getId(), new long[2]);
      boolean global = s.getSpec().hasGlobal();
      long desired = global ? c[1] : s.getSpec().getReplicated().getReplicas();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("ID", Display.shortId(s.getId()));
      row.put("Name", s.getSpec().getName());
      row.put("Mode", global ? "global" : "replicated");
      row.put("Replicas", c[0] + "/" + desired + DeployDisplay.updateSuffix(s));
      row.put("Image", Display.shortImage(s.getSpec().getContainer().getImage()));
      row.put("Ports", Display.servicePorts(s.getSpec().getEndpoint().getPortsList()));
      rows.add(row);
    }
    if (!FormatOutput.isDefault(format)) {
      FormatOutput.rows(out, format, rows, Map.of());
      return;
    }
    Table table = new Table("ID", "NAME", "MODE", "REPLICAS", "IMAGE", "PORTS");
    rows.forEach(r -> table.add(r.values().stream().map(String::valueOf).toArray(String[]::new)));
    table.print(out);
  }
}
