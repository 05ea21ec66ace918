package io.shoal.cli.service;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code shoal service}: the group; alone it prints its usage, like {@code docker service}. */
@Command(
    name = "service",
    description = "Manage services",
    synopsisSubcommandLabel = "COMMAND",
    mixinStandardHelpOptions = true,
    subcommands = {
      ServiceCreateCommand.class,
      ServiceInspectCommand.class,
      io.shoal.cli.logs.ServiceLogsCommand.class,
      ServiceLsCommand.class,
      ServicePsCommand.class,
      ServiceRmCommand.class,
      ServiceRollbackCommand.class,
      ServiceScaleCommand.class,
      ServiceUpdateCommand.class
    })
public final class ServiceCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
