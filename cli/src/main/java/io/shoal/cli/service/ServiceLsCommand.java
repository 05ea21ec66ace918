package io.shoal.cli.service;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.cli.CliCommand;
import io.shoal.cli.format.Display;
import io.shoal.cli.format.Table;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  @Override
  public Integer call() {
    List<Service> services =
        control().listServices().stream()
            .sorted(Comparator.comparing((Service s) -> s.getSpec().getName()))
            .toList();
    if (quiet) {
      services.forEach(s -> out().println(Display.shortId(s.getId())));
      out().flush();
      return 0;
    }
    Map<String, long[]> counts = new HashMap<>();
    if (!services.isEmpty()) {
      for (Task t : control().listTasks("")) {
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
    Table table = new Table("ID", "NAME", "MODE", "REPLICAS", "IMAGE", "PORTS");
    for (Service s : services) {
      long[] c = counts.getOrDefault(s.getId(), new long[2]);
      boolean global = s.getSpec().hasGlobal();
      long desired = global ? c[1] : s.getSpec().getReplicated().getReplicas();
      table.add(
          Display.shortId(s.getId()),
          s.getSpec().getName(),
          global ? "global" : "replicated",
          c[0] + "/" + desired + DeployDisplay.updateSuffix(s),
          Display.shortImage(s.getSpec().getContainer().getImage()),
          Display.servicePorts(s.getSpec().getEndpoint().getPortsList()));
    }
    table.print(out());
    return 0;
  }
}
