package io.shoal.scheduler.placement;

import io.shoal.api.v1.Task;
import io.shoal.common.placement.Constraint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** --constraint: the node must satisfy every expression (node.labels.zone==east, …). */
public final class ConstraintFilter implements Filter {
  /** Parsed once per distinct list; control has validated every expression already. */
  private final Map<List<String>, List<Constraint>> parsed = new HashMap<>();

  @Override
  public boolean appliesTo(Task task) {
    return task.getSpec().getPlacement().getConstraintsCount() > 0;
  }

  @Override
  public boolean check(Task task, NodeInfo node) {
    return Constraint.matchesAll(constraints(task.getSpec().getPlacement().getConstraintsList()), node.node());
  }

  List<Constraint> constraints(List<String> expressions) {
    return parsed.computeIfAbsent(List.copyOf(expressions), Constraint::parseAll);
  }

  @Override
  public boolean dependsOnPlacedTasks() {
    return false;
  }

  @Override
  public String explain(int nodes) {
    return "scheduling constraints not satisfied on " + Filter.nodes(nodes);
  }
}
