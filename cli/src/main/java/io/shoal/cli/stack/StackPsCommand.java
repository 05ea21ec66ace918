package io.shoal.cli.stack;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.cli.CliCommand;
import io.shoal.cli.CliException;
import io.shoal.cli.format.Filters;
import io.shoal.cli.service.TaskListing;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code shoal stack ps STACK}: the tasks of the stack's services, as {@code service ps} shows them. */
@Command(name = "ps", description = "List the tasks in the stack", mixinStandardHelpOptions = true)
public final class StackPsCommand extends CliCommand {
  @Option(names = "--no-trunc", description = "Do not truncate output")
  boolean noTrunc;

  @Option(names = {"-q", "--quiet"}, description = "Only display task IDs")
  boolean quiet;

  @Option(names = {"-f", "--filter"}, paramLabel = "FILTER",
      description = "Filter output based on conditions provided (id, name, node, desired-state)")
  List<String> filters = new ArrayList<>();

  @Option(names = "--format", paramLabel = "TEMPLATE", description = "Pretty-print tasks using a Go template")
  String format;

  @Parameters(index = "0", paramLabel = "STACK")
  String stack;

  @Override
  public Integer call() {
    Filters filter = Filters.parse(filters, TaskListing.FILTERS);
    List<Service> services = StackServices.of(control(), stack);
    if (services.isEmpty()) {
      throw new CliException("nothing found in stack: " + stack);
    }
    List<Task> tasks = new ArrayList<>();
    for (Service s : services) {
      tasks.addAll(control().listTasks(s.getId()));
    }
    TaskListing listing = new TaskListing(control().listNodes(), noTrunc);
    List<Task> shown = listing.select(tasks, filter);
    if (quiet) {
      shown.forEach(t -> out().println(listing.id(t.getId())));
    } else {
      listing.print(out(), shown, context().clock().instant(), format);
    }
    out().flush();
    return 0;
  }
}
