package io.shoal.scheduler.placement;

import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.Task;

/** Only READY nodes whose availability is ACTIVE take new tasks. */
public final class ReadyFilter implements Filter {
  @Override
  public boolean check(Task task, NodeInfo node) {
    return node.node().getStatus().getState() == NodeState.NODE_STATE_READY
        && node.node().getSpec().getAvailability() == NodeAvailability.NODE_AVAILABILITY_ACTIVE;
  }

  @Override
  public boolean dependsOnPlacedTasks() {
    return false;
  }

  @Override
  public String explain(int nodes) {
    return Filter.nodes(nodes) + " not available for new tasks";
  }
}
