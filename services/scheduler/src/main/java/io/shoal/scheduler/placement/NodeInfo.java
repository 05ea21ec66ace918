package io.shoal.scheduler.placement;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.Task;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** A node and what already runs there, updated as the scheduler places tasks in one pass. */
public final class NodeInfo {
  private final Node node;
  private final Map<String, Integer> tasksByService = new HashMap<>();
  private final Set<String> hostPorts = new HashSet<>();
  private int tasks;
  private long reservedNanoCpus;
  private long reservedMemoryBytes;

  /** What the node reported minus what its tasks reserve. */
  public long freeNanoCpus() {
    return node.getDescription().getNanoCpus() - reservedNanoCpus;
  }

  public long freeMemoryBytes() {
    return node.getDescription().getMemoryBytes() - reservedMemoryBytes;
  }

  public NodeInfo(Node node) {
    this.node = node;
  }

  public Node node() {
    return node;
  }

  public String id() {
    return node.getId();
  }

  public void add(Task task) {
    tasks++;
    reservedNanoCpus += task.getSpec().getResources().getReservations().getNanoCpus();
    reservedMemoryBytes += task.getSpec().getResources().getReservations().getMemoryBytes();
    tasksByService.merge(task.getServiceId(), 1, Integer::sum);
    hostPorts.addAll(hostPortsOf(task));
  }

  public int tasks() {
    return tasks;
  }

  public int tasksOf(String serviceId) {
    return tasksByService.getOrDefault(serviceId, 0);
  }

  public boolean hostPortTaken(String port) {
    return hostPorts.contains(port);
  }

  /** Host-mode published ports a task binds on its node, as "tcp/8080". */
  static Set<String> hostPortsOf(Task task) {
    Set<String> ports = new HashSet<>();
    for (PortConfig p : task.getSpec().getEndpoint().getPortsList()) {
      if (p.getPublishMode() == PublishMode.PUBLISH_MODE_HOST && p.getPublishedPort() != 0) {
        ports.add(p.getProtocol().name() + "/" + p.getPublishedPort());
      }
    }
    return ports;
  }
}
