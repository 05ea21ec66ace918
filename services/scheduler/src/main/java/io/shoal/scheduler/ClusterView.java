package io.shoal.scheduler;

import io.shoal.api.v1.Network;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.common.task.TaskStates;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One consistent look at services, tasks, nodes and networks, as the reconcilers read it, and the
 * address index keys ({@code <network id>/<ip>}) held by no task or service it knows of, which
 * no task may be given.
 */
public record ClusterView(Map<String, Service> services, Map<String, Task> tasks, Map<String, Node> nodes,
    Map<String, Network> networks, Set<String> strayAddresses, Map<String, Service> removedServices) {

  /** With no networks. */
  public ClusterView(Map<String, Service> services, Map<String, Task> tasks, Map<String, Node> nodes) {
    this(services, tasks, nodes, Map.of(), Set.of());
  }

  /** With no record of removed services (their removal traced by no request). */
  public ClusterView(Map<String, Service> services, Map<String, Task> tasks, Map<String, Node> nodes,
      Map<String, Network> networks, Set<String> strayAddresses) {
    this(services, tasks, nodes, networks, strayAddresses, Map.of());
  }

  public Map<String, List<Task>> tasksByService() {
    Map<String, List<Task>> byService = new HashMap<>();
    for (Task t : tasks.values()) {
      byService.computeIfAbsent(t.getServiceId(), k -> new ArrayList<>()).add(t);
    }
    return byService;
  }

  public boolean nodeReady(String nodeId) {
    Node node = nodes.get(nodeId);
    return node != null && node.getStatus().getState() == NodeState.NODE_STATE_READY;
  }

  /** Ready but drained: its tasks move elsewhere. */
  public boolean nodeDrained(String nodeId) {
    Node node = nodes.get(nodeId);
    return node != null && node.getSpec().getAvailability() == NodeAvailability.NODE_AVAILABILITY_DRAIN;
  }

  public Collection<Node> nodeList() {
    return nodes.values();
  }

  /** Placed on a node, i.e. past the scheduler's part of the life. */
  public static boolean assigned(Task task) {
    return TaskStates.assigned(task.getStatus().getState());
  }
}
