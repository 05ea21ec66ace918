package io.shoal.cli.network;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code shoal network}: the group; alone it prints its usage. */
@Command(
    name = "network",
    description = "Manage networks",
    synopsisSubcommandLabel = "COMMAND",
    mixinStandardHelpOptions = true,
    subcommands = {
      NetworkCreateCommand.class,
      NetworkInspectCommand.class,
      NetworkLsCommand.class,
      NetworkRmCommand.class
    })
public final class NetworkCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
