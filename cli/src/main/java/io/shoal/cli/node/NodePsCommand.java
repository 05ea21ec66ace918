package io.shoal.cli.node;

import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.Task;
import io.shoal.cli.CliCommand;
import io.shoal.cli.format.Filters;
import io.shoal.cli.service.TaskListing;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal node ps NODE...}: the tasks on nodes, as {@code docker node ps}. Docker's default
 * node is {@code self}, the node the CLI runs on; Shoal's CLI talks to control from anywhere, so
 * the node is always named.
 */
@Command(
    name = "ps",
    description = "List tasks running on one or more nodes",
    customSynopsis = "shoal node ps [OPTIONS] NODE [NODE...]",
    mixinStandardHelpOptions = true)
public final class NodePsCommand extends CliCommand {
  @Option(names = "--no-trunc", description = "Do not truncate output")
  boolean noTrunc;

  @Option(names = {"-q", "--quiet"}, description = "Only display task IDs")
  boolean quiet;

  @Option(names = {"-f", "--filter"}, paramLabel = "FILTER",
      description = "Filter output based on conditions provided (id, name, node, desired-state)")
  List<String> filters = new ArrayList<>();

  @Option(names = "--format", paramLabel = "TEMPLATE",
      description = "Pretty-print tasks using a Go template ('table TEMPLATE', 'json')")
  String format;

  @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node id, hostname or id prefix")
  List<String> nodes = new ArrayList<>();

  @Override
  public Integer call() {
    Filters filter = Filters.parse(filters, TaskListing.FILTERS);
    boolean failed = false;
    List<Node> found = new ArrayList<>();
    for (String node : nodes) {
      try {
        found.add(control().getNode(node));
      } catch (StatusRuntimeException e) {
        reportError(e);
        failed = true;
      }
    }
    Set<String> ids = found.stream().map(Node::getId).collect(Collectors.toSet());
    List<Task> tasks = found.isEmpty() ? List.of()
        : control().listTasks("").stream().filter(t -> ids.contains(t.getNodeId())).toList();
    TaskListing listing = new TaskListing(tasks.isEmpty() ? found : control().listNodes(), noTrunc);
    List<Task> shown = listing.select(tasks, filter);
    if (quiet) {
      shown.forEach(t -> out().println(listing.id(t.getId())));
    } else {
      listing.print(out(), shown, context().clock().instant(), format);
    }
    out().flush();
    return failed ? 1 : 0;
  }
}
