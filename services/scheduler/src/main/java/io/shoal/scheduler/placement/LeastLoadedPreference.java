package io.shoal.scheduler.placement;

import io.shoal.api.v1.Task;
import java.util.Collection;
import java.util.Comparator;

/** The node with the fewest tasks overall first. */
public final class LeastLoadedPreference implements Preference {
  @Override
  public Comparator<NodeInfo> order(Task task, Collection<NodeInfo> nodes) {
    return Comparator.comparingInt(NodeInfo::tasks);
  }
}
