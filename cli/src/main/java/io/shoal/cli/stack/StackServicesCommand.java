package io.shoal.cli.stack;

import io.shoal.api.v1.Service;
import io.shoal.cli.CliCommand;
import io.shoal.cli.CliException;
import io.shoal.cli.service.ServiceLsCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code shoal stack services STACK}: the stack's services, as {@code service ls} shows them. */
@Command(name = "services", description = "List the services in the stack", mixinStandardHelpOptions = true)
public final class StackServicesCommand extends CliCommand {
  @Option(names = {"-q", "--quiet"}, description = "Only display IDs")
  boolean quiet;

  @Option(names = "--format", paramLabel = "TEMPLATE", description = "Pretty-print services using a Go template")
  String format;

  @Parameters(index = "0", paramLabel = "STACK")
  String stack;

  @Override
  public Integer call() {
    List<Service> services = StackServices.of(control(), stack);
    if (services.isEmpty()) {
      throw new CliException("nothing found in stack: " + stack);
    }
    ServiceLsCommand.print(out(), control(), services, quiet, format);
    return 0;
  }
}
