package io.shoal.cli.service;

import io.shoal.api.v1.Placement;
import io.shoal.api.v1.PlacementPreference;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.Converters;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code service create}'s --constraint, --placement-pref and --replicas-max-per-node. */
public final class PlacementOptions {
  @Option(
      names = "--constraint",
      paramLabel = "EXPR",
      description = "Placement constraints (e.g. node.labels.zone==east, node.role!=manager)")
  List<String> constraints = new ArrayList<>();

  @Option(
      names = "--placement-pref",
      paramLabel = "PREF",
      converter = PreferenceConverter.class,
      description = "Add a placement preference (spread=node.labels.KEY)")
  List<PlacementPreference> preferences = new ArrayList<>();

  @Option(
      names = "--replicas-max-per-node",
      paramLabel = "N",
      converter = Converters.Replicas.class,
      description = "Maximum number of tasks per node (default 0 = unlimited)")
  Long maxReplicas;

  void applyTo(ServiceSpec.Builder spec) {
    if (constraints.isEmpty() && preferences.isEmpty() && maxReplicas == null) {
      return;
    }
    Placement.Builder p = spec.getPlacementBuilder();
    p.addAllConstraints(constraints).addAllPreferences(preferences);
    if (maxReplicas != null) {
      p.setMaxReplicas(maxReplicas);
    }
  }

  /** {@code spread=node.labels.KEY}, the only strategy Swarm has. */
  static final class PreferenceConverter implements ITypeConverter<PlacementPreference> {
    @Override
    public PlacementPreference convert(String value) {
      int eq = value.indexOf('=');
      if (eq < 0 || !value.substring(0, eq).equalsIgnoreCase("spread")) {
        throw new TypeConversionException(
            "\"" + value + "\": the only placement preference is spread=node.labels.KEY");
      }
      return PlacementPreference.newBuilder().setSpread(value.substring(eq + 1)).build();
    }
  }
}
