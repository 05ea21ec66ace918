package io.shoal.cli.stack;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.cli.CliCommand;
import io.shoal.cli.CliException;
import io.shoal.cli.format.Filters;
import io.shoal.cli.service.TaskListOptions;
import java.util.ArrayList;
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
    List<Task> tasks = new ArrayList<>();
    for (Service s : services) {
      tasks.addAll(control().listTasks(s.getId()));
    }
    list.print(out(), tasks, filter, control().listNodes(), context().clock().instant());
    return 0;
  }
}
