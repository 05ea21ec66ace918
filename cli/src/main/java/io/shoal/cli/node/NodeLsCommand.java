package io.shoal.cli.node;

import io.shoal.api.v1.Node;
import io.shoal.cli.CliCommand;
import io.shoal.cli.format.Display;
import io.shoal.cli.format.Table;
import java.util.Comparator;
import java.util.List;
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

  @Override
  public Integer call() {
    List<Node> nodes =
        control().listNodes().stream()
            .sorted(
                Comparator.comparing((Node n) -> n.getDescription().getHostname())
                    .thenComparing(Node::getId))
            .toList();
    if (quiet) {
      nodes.forEach(n -> out().println(n.getId()));
      out().flush();
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
