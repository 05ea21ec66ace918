package io.shoal.scheduler.placement;

import io.shoal.api.v1.Task;
import java.util.Collection;
import java.util.Comparator;

/** The node with the fewest tasks of the service first: a service's tasks spread over nodes. */
public final class ServiceSpreadPreference implements Preference {
  @Override
  public Comparator<NodeInfo> order(Task task, Collection<NodeInfo> nodes) {
    String serviceId = task.getServiceId();
    return Comparator.comparingInt(n -> n.tasksOf(serviceId));
  }
}
