package io.shoal.scheduler.placement;

import io.shoal.api.v1.Task;
import java.util.Collection;
import java.util.Comparator;

/** The service's {@code --placement-pref spread=node.labels.KEY} ({@link SpreadPreference}). */
public final class LabelSpreadPreference implements Preference {
  @Override
  public Comparator<NodeInfo> order(Task task, Collection<NodeInfo> nodes) {
    SpreadPreference spread = SpreadPreference.of(task, nodes);
    return spread == SpreadPreference.NONE ? null : spread::compare;
  }

  /** A task placed in one group changes that group's count for every node in it. */
  @Override
  public boolean dependsOnOtherNodes(Task task) {
    return task.getSpec().getPlacement().getPreferencesCount() > 0;
  }
}
