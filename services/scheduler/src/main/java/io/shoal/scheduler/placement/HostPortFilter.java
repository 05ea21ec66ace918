package io.shoal.scheduler.placement;

import io.shoal.api.v1.Task;

/** A host-mode published port can be bound by one task per node. */
public final class HostPortFilter implements Filter {
  @Override
  public boolean appliesTo(Task task) {
    return !NodeInfo.hostPortsOf(task).isEmpty();
  }

  @Override
  public boolean check(Task task, NodeInfo node) {
    return NodeInfo.hostPortsOf(task).stream().noneMatch(node::hostPortTaken);
  }

  @Override
  public String explain(int nodes) {
    return "host-mode port already in use on " + Filter.nodes(nodes);
  }
}
