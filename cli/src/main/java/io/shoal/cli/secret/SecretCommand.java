package io.shoal.cli.secret;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code shoal secret}: the group; alone it prints its usage. */
@Command(
    name = "secret",
    description = "Manage secrets",
    synopsisSubcommandLabel = "COMMAND",
    mixinStandardHelpOptions = true,
    subcommands = {
      SecretCreateCommand.class,
      SecretInspectCommand.class,
      SecretLsCommand.class,
      SecretRmCommand.class
    })
public final class SecretCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
