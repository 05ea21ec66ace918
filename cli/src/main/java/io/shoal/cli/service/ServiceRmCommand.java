package io.shoal.cli.service;

import io.shoal.cli.CliCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal service rm SERVICE...}: deletes each service (the scheduler then removes its tasks)
 * and prints each name as given; a failure for one does not stop the others, but exits 1.
 */
@Command(
    name = "rm",
    aliases = "remove",
    description = "Remove one or more services",
    mixinStandardHelpOptions = true)
public final class ServiceRmCommand extends CliCommand {
  @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "Service name, id or id prefix")
  List<String> services = new ArrayList<>();

  @Override
  public Integer call() {
    return removeEach(services, r -> control().deleteService(r));
  }
}
