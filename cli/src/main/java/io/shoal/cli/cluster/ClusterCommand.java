package io.shoal.cli.cluster;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code shoal cluster}: the cluster's CA and join tokens (Docker's {@code docker swarm ca|join-token}). */
@Command(
    name = "cluster",
    description = "Manage the cluster's CA and join tokens",
    synopsisSubcommandLabel = "COMMAND",
    mixinStandardHelpOptions = true,
    subcommands = {ClusterCaCommand.class, ClusterJoinTokenCommand.class})
public final class ClusterCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
