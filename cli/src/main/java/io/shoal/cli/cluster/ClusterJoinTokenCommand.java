package io.shoal.cli.cluster;

import io.shoal.api.v1.NodeRole;
import io.shoal.cli.CliCommand;
import io.shoal.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal cluster join-token [--rotate] [-q] worker|manager}, in Docker's words: the command
 * that joins a worker (a manager's token alone), or with {@code -q} the token alone; {@code --rotate} replaces the token first.
 */
@Command(
    name = "join-token",
    description = "Manage join tokens",
    mixinStandardHelpOptions = true)
public final class ClusterJoinTokenCommand extends CliCommand {
  @Parameters(paramLabel = "(worker|manager)", description = "Whose token")
  String role;

  @Option(names = "--rotate", description = "Rotate join token")
  boolean rotate;

  @Option(names = {"-q", "--quiet"}, description = "Only display token")
  boolean quiet;

  @Override
  public Integer call() {
    NodeRole nodeRole = switch (role) {
      case "worker" -> NodeRole.NODE_ROLE_WORKER;
      case "manager" -> NodeRole.NODE_ROLE_MANAGER;
      default -> throw new CliException("unknown role " + role + ": use worker or manager");
    };
    String token = control().joinToken(nodeRole, rotate);
    if (quiet) {
      out().println(token);
    } else {
      if (rotate) {
        out().println("Successfully rotated " + role + " join token.");
        out().println();
      }
      if (nodeRole == NodeRole.NODE_ROLE_WORKER) {
        out().println("To add a worker to this cluster, run the following command on it:");
        out().println();
        out().println("    shoal-node-agent --join-token " + token + " --manager " + cli().target());
      } else {
        // Managers' services take a certificate directory today; the token gets them one.
        out().println("To add a manager to this cluster, join it with this token at " + cli().target() + ":");
        out().println();
        out().println("    " + token);
      }
      out().println();
    }
    out().flush();
    return 0;
  }
}
