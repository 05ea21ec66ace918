package io.shoal.cli.stack;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.cli.CliCommand;
import io.shoal.cli.CliException;
import io.shoal.cli.format.Filters;
import io.shoal.cli.service.TaskListOptions;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code shoal stack ps STACK}: the tasks of the stack's services, as {@code service ps} shows them. */
@Command(name = "ps", description = "List the tasks in the stack", mixinStandardHelpOptions = true)
public final class StackPsCommand extends CliCommand {
  @Mixin TaskListOptions list;

  @Parameters(index = "0", paramLabel = "STACK")
  String stack;

  @Override
  public Integer call() {
    Filters filter = list.filter();
    List<Service> services = StackServices.of(control(), stack);
    if (services.isEmpty()) {
      throw new CliException("nothing found in stack: " + stack);
    }
    // One listing for the whole stack, not one per service.
    java.util.Set<String> ids = services.stream().map(Service::getId).collect(java.util.stream.Collectors.toSet());
    List<Task> tasks = control().listTasks("").stream().filter(t -> ids.contains(t.getServiceId())).toList();
    list.print(out(), tasks, filter, control().listNodes(), context().clock().instant());
    return 0;
  }
}
