package io.shoal.cli.stack;

import io.shoal.api.v1.Service;
import io.shoal.cli.CliCommand;
import io.shoal.cli.compose.StackLabels;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal stack rm STACK...}: the stack's services first, then its secrets, configs and
 * networks (those it created: labelled with its name), as Docker removes them.
 */
@Command(name = "rm", aliases = {"remove", "down"}, description = "Remove one or more stacks",
    mixinStandardHelpOptions = true)
public final class StackRmCommand extends CliCommand {
  @Parameters(arity = "1..*", paramLabel = "STACK")
  List<String> stacks;

  @Override
  public Integer call() {
    boolean failed = false;
    for (String stack : stacks) {
      List<Service> services = StackServices.of(control(), stack);
      var secrets = control().listSecrets().stream().filter(s -> ours(s.getSpec().getLabelsMap(), stack)).toList();
      var configs = control().listConfigs().stream().filter(c -> ours(c.getSpec().getLabelsMap(), stack)).toList();
      var networks = control().listNetworks().stream().filter(n -> ours(n.getSpec().getLabelsMap(), stack)).toList();
      if (services.isEmpty() && secrets.isEmpty() && configs.isEmpty() && networks.isEmpty()) {
        err().println("Nothing found in stack: " + stack);
        continue;
      }
      for (Service s : services) {
        out().println("Removing service " + s.getSpec().getName());
        failed |= !attempt(() -> control().deleteService(s.getId()));
      }
      for (var s : secrets) {
        out().println("Removing secret " + s.getSpec().getName());
        failed |= !attempt(() -> control().deleteSecret(s.getId()));
      }
      for (var c : configs) {
        out().println("Removing config " + c.getSpec().getName());
        failed |= !attempt(() -> control().deleteConfig(c.getId()));
      }
      for (var n : networks) {
        out().println("Removing network " + n.getSpec().getName());
        failed |= !attempt(() -> control().deleteNetwork(n.getId()));
      }
    }
    out().flush();
    err().flush();
    return failed ? 1 : 0;
  }

  private static boolean ours(java.util.Map<String, String> labels, String stack) {
    return stack.equals(labels.get(StackLabels.NAMESPACE));
  }

  private boolean attempt(Runnable delete) {
    try {
      delete.run();
      return true;
    } catch (io.grpc.StatusRuntimeException e) {
      reportError(e);
      return false;
    }
  }
}
