package io.shoal.cli.node;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code shoal node}: the group; alone it prints its usage. */
@Command(
    name = "node",
    description = "Manage nodes",
    synopsisSubcommandLabel = "COMMAND",
    mixinStandardHelpOptions = true,
    subcommands = {NodeInspectCommand.class, NodeLsCommand.class, NodePsCommand.class, NodeRmCommand.class,
        NodeUpdateCommand.class})
public final class NodeCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
