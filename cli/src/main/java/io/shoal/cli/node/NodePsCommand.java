package io.shoal.cli.node;

import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.Task;
import io.shoal.cli.CliCommand;
import io.shoal.cli.format.Filters;
import io.shoal.cli.service.TaskListOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
  @Mixin TaskListOptions list;

  @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node id, hostname or id prefix")
  List<String> nodes = new ArrayList<>();

  @Override
  public Integer call() {
    Filters filter = list.filter();
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
    list.print(out(), tasks, filter, tasks.isEmpty() ? found : control().listNodes(), context().clock().instant());
    return failed ? 1 : 0;
  }
}
