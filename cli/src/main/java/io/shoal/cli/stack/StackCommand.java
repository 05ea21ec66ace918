package io.shoal.cli.stack;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code shoal stack}: Docker's stacks, compose files deployed as services. */
@Command(
    name = "stack",
    description = "Manage Swarm stacks",
    synopsisSubcommandLabel = "COMMAND",
    mixinStandardHelpOptions = true,
    subcommands = {StackDeployCommand.class, StackLsCommand.class, StackPsCommand.class, StackRmCommand.class,
        StackServicesCommand.class})
public final class StackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
