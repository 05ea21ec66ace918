package io.shoal.cli.network;

import io.shoal.cli.CliCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal network rm NETWORK...}: deletes each network and prints it as given; one that
 * services use is refused naming them. A failure for one does not stop the others, but exits 1.
 */
@Command(
    name = "rm",
    aliases = "remove",
    description = "Remove one or more networks",
    mixinStandardHelpOptions = true)
public final class NetworkRmCommand extends CliCommand {
  @Parameters(arity = "1..*", paramLabel = "NETWORK", description = "Network name, id or id prefix")
  List<String> networks = new ArrayList<>();

  @Override
  public Integer call() {
    return removeEach(networks, r -> control().deleteNetwork(r));
  }
}
