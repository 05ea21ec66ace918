package io.shoal.cli.service;

import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.cli.CliCommand;
import io.shoal.cli.format.Filters;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal service ps SERVICE...}: the tasks of services as {@code docker service ps} shows
 * them. Tasks of one slot (or, for a global service, one node) are grouped, newest first; the older
 * ones are indented as {@code \_ web.1}. A service the scheduler can't reconcile (its
 * {@code reconcile_error}) gets a warning on stderr after the table.
 */
@Command(
    name = "ps",
    description = "List the tasks of one or more services",
    customSynopsis = "shoal service ps [OPTIONS] SERVICE [SERVICE...]",
    mixinStandardHelpOptions = true)
public final class ServicePsCommand extends CliCommand {
  @Option(names = "--no-trunc", description = "Do not truncate ids, images and errors")
  boolean noTrunc;

  @Option(
      names = {"-q", "--quiet"},
      description = "Only display task IDs")
  boolean quiet;

  @Option(names = {"-f", "--filter"}, paramLabel = "FILTER",
      description = "Filter output based on conditions provided (id, name, node, desired-state)")
  List<String> filters = new ArrayList<>();

  @Option(names = "--format", paramLabel = "TEMPLATE",
      description = "Pretty-print tasks using a Go template ('table TEMPLATE', 'json')")
  String format;

  @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "Service name, id or id prefix")
  List<String> services = new ArrayList<>();

  @Override
  public Integer call() {
    Filters filter = Filters.parse(filters, TaskListing.FILTERS);
    boolean failed = false;
    List<Task> tasks = new ArrayList<>();
    List<Service> unreconciled = new ArrayList<>();
    for (String service : services) {
      try {
        tasks.addAll(control().listTasks(service));
        if (!quiet) {
          Service s = control().getService(service);
          if (!s.getReconcileError().isEmpty()) {
            unreconciled.add(s);
          }
        }
      } catch (StatusRuntimeException e) {
        reportError(e);
        failed = true;
      }
    }
    TaskListing listing = new TaskListing(tasks.isEmpty() ? List.of() : control().listNodes(), noTrunc);
    List<Task> shown = listing.select(tasks, filter);
    if (quiet) {
      shown.forEach(t -> out().println(listing.id(t.getId())));
      out().flush();
      return failed ? 1 : 0;
    }
    listing.print(out(), shown, context().clock().instant(), format);
    out().flush();
    // On stderr, as other warnings: the table stays what scripts parse.
    for (Service s : unreconciled) {
      err().println("shoal: warning: service " + s.getSpec().getName() + " is not reconciled by the scheduler: "
          + s.getReconcileError());
    }
    err().flush();
    return failed ? 1 : 0;
  }
}
