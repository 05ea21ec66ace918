package io.shoal.cli.node;

import io.shoal.cli.CliCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal node rm [-f] NODE...}: removes each node from the cluster and revokes its
 * certificate, printing it as given; a node that is not down needs {@code --force}. A failure
 * for one does not stop the others, but exits 1.
 */
@Command(
    name = "rm",
    aliases = "remove",
    description = "Remove one or more nodes from the cluster (their certificates stop working at once)",
    mixinStandardHelpOptions = true)
public final class NodeRmCommand extends CliCommand {
  @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node hostname, id or id prefix")
  List<String> nodes = new ArrayList<>();

  @Option(names = {"-f", "--force"}, description = "Force remove a node from the cluster")
  boolean force;

  @Override
  public Integer call() {
    return removeEach(nodes, r -> control().deleteNode(r, force));
  }
}
