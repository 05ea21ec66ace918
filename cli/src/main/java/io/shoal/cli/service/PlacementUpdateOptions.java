package io.shoal.cli.service;

import io.shoal.api.v1.Placement;
import io.shoal.api.v1.PlacementPreference;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.Converters;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code service update}'s --constraint-add/-rm, --placement-pref-add/-rm, --replicas-max-per-node. */
public final class PlacementUpdateOptions {
  @Option(names = "--constraint-add", paramLabel = "EXPR", description = "Add or update a placement constraint")
  List<String> constraintAdd = new ArrayList<>();

  @Option(names = "--constraint-rm", paramLabel = "EXPR", description = "Remove a constraint")
  List<String> constraintRm = new ArrayList<>();

  @Option(
      names = "--placement-pref-add",
      paramLabel = "PREF",
      converter = PlacementOptions.PreferenceConverter.class,
      description = "Add a placement preference (spread=node.labels.KEY)")
  List<PlacementPreference> prefAdd = new ArrayList<>();

  @Option(
      names = "--placement-pref-rm",
      paramLabel = "PREF",
      converter = PlacementOptions.PreferenceConverter.class,
      description = "Remove a placement preference")
  List<PlacementPreference> prefRm = new ArrayList<>();

  @Option(
      names = "--replicas-max-per-node",
      paramLabel = "N",
      converter = Converters.Replicas.class,
      description = "Maximum number of tasks per node (0 = unlimited)")
  Long maxReplicas;

  void applyTo(ServiceSpec.Builder spec) {
    if (constraintAdd.isEmpty() && constraintRm.isEmpty() && prefAdd.isEmpty() && prefRm.isEmpty()
        && maxReplicas == null) {
      return;
    }
    Placement.Builder p = spec.getPlacementBuilder();
    List<String> constraints = new ArrayList<>(p.getConstraintsList());
    constraints.removeAll(constraintRm);
    constraintAdd.stream().filter(c -> !constraints.contains(c)).forEach(constraints::add);
    List<PlacementPreference> prefs = new ArrayList<>(p.getPreferencesList());
    prefs.removeAll(prefRm);
    prefAdd.stream().filter(x -> !prefs.contains(x)).forEach(prefs::add);
    p.clearConstraints().addAllConstraints(constraints).clearPreferences().addAllPreferences(prefs);
    if (maxReplicas != null) {
      p.setMaxReplicas(maxReplicas);
    }
  }
}
