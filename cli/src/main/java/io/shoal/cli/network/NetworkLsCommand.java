package io.shoal.cli.network;

import io.shoal.api.v1.Network;
import io.shoal.cli.CliCommand;
import io.shoal.cli.format.Display;
import io.shoal.cli.format.Table;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shoal network ls}: NETWORK ID, NAME, DRIVER, SCOPE, sorted by name, as Docker prints a
 * manager's networks. Every Shoal network spans the cluster, so its scope is "swarm".
 */
@Command(
    name = "ls",
    aliases = "list",
    description = "List networks",
    mixinStandardHelpOptions = true)
public final class NetworkLsCommand extends CliCommand {
  /** Docker's word for a network that spans the cluster. */
  static final String SCOPE = "swarm";

  @Option(
      names = {"-q", "--quiet"},
      description = "Only display network IDs")
  boolean quiet;

  @Option(names = "--no-trunc", description = "Do not truncate the output")
  boolean noTrunc;

  @Override
  public Integer call() {
    List<Network> networks = control().listNetworks().stream()
        .sorted(Comparator.comparing((Network n) -> n.getSpec().getName()))
        .toList();
    if (quiet) {
      networks.forEach(n -> out().println(id(n)));
      out().flush();
      return 0;
    }
    Table table = new Table("NETWORK ID", "NAME", "DRIVER", "SCOPE");
    for (Network n : networks) {
      table.add(id(n), n.getSpec().getName(), n.getSpec().getDriver(), SCOPE);
    }
    table.print(out());
    return 0;
  }

  private String id(Network n) {
    return noTrunc ? n.getId() : Display.shortId(n.getId());
  }
}
