package io.shoal.scheduler.placement;

import io.shoal.api.v1.Resources;
import io.shoal.api.v1.Task;

/**
 * --reserve-cpu/--reserve-memory: what the node reported (NodeDescription) minus what the tasks
 * already placed there reserve must cover the task's reservation. A node that reported nothing
 * for a resource can't take a reservation of it.
 */
public final class ResourceFilter implements Filter {
  @Override
  public boolean appliesTo(Task task) {
    Resources r = task.getSpec().getResources().getReservations();
    return r.getNanoCpus() > 0 || r.getMemoryBytes() > 0;
  }

  @Override
  public boolean check(Task task, NodeInfo node) {
    Resources r = task.getSpec().getResources().getReservations();
    return (r.getNanoCpus() == 0 || node.freeNanoCpus() >= r.getNanoCpus())
        && (r.getMemoryBytes() == 0 || node.freeMemoryBytes() >= r.getMemoryBytes());
  }

  @Override
  public String explain(int nodes) {
    return "insufficient resources on " + Filter.nodes(nodes);
  }
}
