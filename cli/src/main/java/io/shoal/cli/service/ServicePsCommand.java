package io.shoal.cli.service;

import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.cli.CliCommand;
import io.shoal.cli.format.Filters;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
  @Mixin TaskListOptions list;

  @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "Service name, id or id prefix")
  List<String> services = new ArrayList<>();

  @Override
  public Integer call() {
    Filters filter = list.filter();
    boolean failed = false;
    List<Task> tasks = new ArrayList<>();
    List<Service> unreconciled = new ArrayList<>();
    for (String service : services) {
      try {
        tasks.addAll(control().listTasks(service));
        if (!list.quiet()) {
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
    list.print(out(), tasks, filter, tasks.isEmpty() ? List.of() : control().listNodes(), context().clock().instant());
    // On stderr, as other warnings: the table stays what scripts parse.
    for (Service s : unreconciled) {
      err().println("shoal: warning: service " + s.getSpec().getName() + " is not reconciled by the scheduler: "
          + s.getReconcileError());
    }
    err().flush();
    return failed ? 1 : 0;
  }
}
