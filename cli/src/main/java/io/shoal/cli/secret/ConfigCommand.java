package io.shoal.cli.secret;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code shoal config}: the group; alone it prints its usage. */
@Command(
    name = "config",
    description = "Manage configs",
    synopsisSubcommandLabel = "COMMAND",
    mixinStandardHelpOptions = true,
    subcommands = {
      ConfigCreateCommand.class,
      ConfigInspectCommand.class,
      ConfigLsCommand.class,
      ConfigRmCommand.class
    })
public final class ConfigCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
