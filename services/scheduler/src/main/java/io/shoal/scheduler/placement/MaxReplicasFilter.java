package io.shoal.scheduler.placement;

import io.shoal.api.v1.Task;

/** --replicas-max-per-node: a node runs at most that many tasks of the service. */
public final class MaxReplicasFilter implements Filter {
  @Override
  public boolean appliesTo(Task task) {
    return task.getSpec().getPlacement().getMaxReplicas() != 0;
  }

  @Override
  public boolean check(Task task, NodeInfo node) {
    // uint64: a limit of 2^63 or more reads negative, and is as good as none.
    return Long.compareUnsigned(node.tasksOf(task.getServiceId()), task.getSpec().getPlacement().getMaxReplicas()) < 0;
  }

  @Override
  public String explain(int nodes) {
    return "max replicas per node limit exceed on " + Filter.nodes(nodes);
  }
}
