package io.shoal.cli.service;

import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.cli.CliCommand;
import io.shoal.cli.format.Display;
import io.shoal.cli.format.HumanDuration;
import io.shoal.cli.format.Table;
import io.shoal.common.time.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
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

  @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "Service name, id or id prefix")
  List<String> services = new ArrayList<>();

  private static final Comparator<Task> ORDER =
      Comparator.comparing(Task::getServiceName)
          .thenComparing(Task::getServiceId)
          .thenComparingLong(Task::getSlot)
          // A global service's tasks have no slot: their node is their place.
          .thenComparing(t -> t.getSlot() == 0 ? t.getNodeId() : "")
          .thenComparing(
              Comparator.comparingLong((Task t) -> t.getCreateTime().getSeconds())
                  .thenComparingInt(t -> t.getCreateTime().getNanos())
                  .reversed());

  @Override
  public Integer call() {
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
    tasks.sort(ORDER);
    if (quiet) {
      tasks.forEach(t -> out().println(id(t.getId())));
      out().flush();
      return failed ? 1 : 0;
    }
    Map<String, String> hostnames =
        tasks.isEmpty()
            ? Map.of()
            : control().listNodes().stream()
                .collect(
                    Collectors.toMap(
                        Node::getId, n -> n.getDescription().getHostname(), (a, b) -> a));
    Instant now = context().clock().instant();
    Table table =
        new Table(
            "ID", "NAME", "IMAGE", "NODE", "DESIRED STATE", "CURRENT STATE", "ERROR", "PORTS");
    String previous = null;
    for (Task t : tasks) {
      String name = name(t);
      String shownName = name.equals(previous) ? " \\_ " + name : name;
      previous = name;
      String image = t.getSpec().getContainer().getImage();
      table.add(
          id(t.getId()),
          shownName,
          noTrunc ? image : Display.shortImage(image),
          hostnames.getOrDefault(t.getNodeId(), t.getNodeId()),
          Display.pretty(t.getDesiredState()),
          currentState(t, now),
          Display.error(t.getStatus().getErr(), noTrunc),
          Display.taskPorts(t.getStatus().getPortsList()));
    }
    table.print(out());
    out().flush();
    // On stderr, as other warnings: the table stays what scripts parse.
    for (Service s : unreconciled) {
      err().println("shoal: warning: service " + s.getSpec().getName() + " is not reconciled by the scheduler: "
          + s.getReconcileError());
    }
    err().flush();
    return failed ? 1 : 0;
  }

  private String id(String id) {
    return noTrunc ? id : Display.shortId(id);
  }

  /** {@code web.1} for a slot; {@code web.<node id>} for a task of a global service. */
  private static String name(Task t) {
    String service = t.getServiceName().isEmpty() ? t.getServiceId() : t.getServiceName();
    return service + "." + (t.getSlot() != 0 ? String.valueOf(t.getSlot()) : t.getNodeId());
  }

  /** Docker's "Running 2 seconds ago": the state, then the lower-cased relative time. */
  private static String currentState(Task t, Instant now) {
    String state = Display.pretty(t.getStatus().getState());
    if (!t.getStatus().hasTimestamp()) {
      return state;
    }
    Instant at = Timestamps.toInstant(t.getStatus().getTimestamp());
    return state + " " + HumanDuration.ago(Duration.between(at, now)).toLowerCase(Locale.ROOT);
  }
}
