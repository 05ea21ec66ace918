package io.shoal.cli.node;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeSpec;
import io.shoal.cli.CliCommand;
import io.shoal.cli.CliException;
import io.shoal.cli.client.ServiceUpdater;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code shoal node update [--availability active|pause|drain] [--label-add K=V] [--label-rm K]
 * NODE}: read, change the spec, write back with the version read; a lost race (ABORTED) is redone
 * from a fresh read. Drain moves the node's tasks away; pause stops new placements only.
 */
@Command(
    name = "update",
    description = "Update a node",
    customSynopsis = "shoal node update [OPTIONS] NODE",
    mixinStandardHelpOptions = true)
public final class NodeUpdateCommand extends CliCommand {
  @Option(
      names = "--availability",
      paramLabel = "AVAILABILITY",
      converter = AvailabilityConverter.class,
      description = "Availability of the node (\"active\", \"pause\", \"drain\")")
  NodeAvailability availability;

  @Option(
      names = "--label-add",
      paramLabel = "KEY=VALUE",
      description = "Add or update a node label (KEY=VALUE)")
  List<String> labelAdd = new ArrayList<>();

  @Option(names = "--label-rm", paramLabel = "KEY", description = "Remove a node label if exists")
  List<String> labelRm = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "NODE", description = "Node id, hostname or id prefix")
  String node;

  @Override
  public Integer call() {
    for (String l : labelAdd) {
      if (l.indexOf('=') <= 0) {
        throw new ParameterException(spec.commandLine(),
            "Invalid value for option '--label-add': bad label \"" + l + "\": use KEY=VALUE");
      }
    }
    for (int attempt = 1; ; attempt++) {
      Node current = control().getNode(node);
      NodeSpec.Builder s = current.getSpec().toBuilder();
      if (availability != null) {
        s.setAvailability(availability);
      }
      for (String l : labelAdd) {
        int eq = l.indexOf('=');
        s.putLabels(l.substring(0, eq), l.substring(eq + 1));
      }
      labelRm.forEach(s::removeLabels);
      try {
        control().updateNode(current.getId(), current.getVersion(), s.build());
        out().println(node);
        out().flush();
        return 0;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.ABORTED) {
          throw e;
        }
        if (attempt == ServiceUpdater.MAX_ATTEMPTS) {
          throw new CliException("node " + node + " kept changing while updating it ("
              + ServiceUpdater.MAX_ATTEMPTS + " attempts); try again (ABORTED)", e);
        }
      }
    }
  }

  static final class AvailabilityConverter implements ITypeConverter<NodeAvailability> {
    @Override
    public NodeAvailability convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "active" -> NodeAvailability.NODE_AVAILABILITY_ACTIVE;
        case "pause" -> NodeAvailability.NODE_AVAILABILITY_PAUSE;
        case "drain" -> NodeAvailability.NODE_AVAILABILITY_DRAIN;
        default ->
            throw new TypeConversionException(
                "unknown availability \"" + value + "\" (use active, pause or drain)");
      };
    }
  }
}
