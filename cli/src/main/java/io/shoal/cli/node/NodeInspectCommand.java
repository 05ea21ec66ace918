package io.shoal.cli.node;

import com.google.protobuf.InvalidProtocolBufferException;
import io.shoal.api.v1.Node;
import io.shoal.cli.CliCommand;
import io.shoal.cli.format.Display;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal node inspect NODE...}: a JSON array of the nodes, or with {@code --pretty} a
 * summary like Docker's. Nodes that cannot be read are reported and make the exit code 1.
 */
@Command(
    name = "inspect",
    description = "Display detailed information on one or more nodes",
    customSynopsis = "shoal node inspect [OPTIONS] NODE [NODE...]",
    mixinStandardHelpOptions = true)
public final class NodeInspectCommand extends CliCommand {
  @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE",
      description = "Format output using a custom template: 'json', or a Go template ({{.Spec.Name}})")
  String format;

  @Option(names = "--pretty", description = "Print the information in a human friendly format")
  boolean pretty;

  @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node id, hostname or id prefix")
  List<String> nodes = new ArrayList<>();

  @Override
  public Integer call() throws InvalidProtocolBufferException {
    return inspect(nodes, control()::getNode, pretty, format, node -> printPretty(out(), node));
  }

  static void printPretty(PrintWriter out, Node node) {
    out.println("ID:                 " + node.getId());
    if (!node.getSpec().getLabelsMap().isEmpty()) {
      out.println("Labels:");
      new TreeMap<>(node.getSpec().getLabelsMap()).forEach((k, v) -> out.println(" - " + k + "=" + v));
    }
    out.println("Hostname:           " + node.getDescription().getHostname());
    out.println("Status:");
    out.println(" State:             " + Display.pretty(node.getStatus().getState()));
    if (!node.getStatus().getMessage().isEmpty()) {
      out.println(" Message:           " + node.getStatus().getMessage());
    }
    out.println(" Availability:      " + Display.pretty(node.getSpec().getAvailability()));
    out.println(" Address:           " + node.getDescription().getAddr());
    out.println("Platform:");
    out.println(" Operating System:  " + node.getDescription().getOs());
    out.println(" Architecture:      " + node.getDescription().getArch());
    out.println("Resources:");
    out.println(" CPUs:              " + node.getDescription().getNanoCpus() / 1_000_000_000L);
    out.println(" Memory:            " + bytes(node.getDescription().getMemoryBytes()));
    if (!node.getDescription().getEngineLabelsMap().isEmpty()) {
      out.println("Engine Labels:");
      new TreeMap<>(node.getDescription().getEngineLabelsMap())
          .forEach((k, v) -> out.println(" - " + k + "=" + v));
    }
    if (!node.getDescription().getEngineVersion().isEmpty()) {
      out.println("Engine Version:     " + node.getDescription().getEngineVersion());
    }
  }

  /** Docker's units: 1.5GiB, 512MiB. */
  static String bytes(long b) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = b;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    String n = String.format(java.util.Locale.ROOT, "%.2f", v);
    n = n.replaceAll("0+$", "").replaceAll("\\.$", "");
    return n + units[u];
  }
}
