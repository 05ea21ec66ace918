package io.shoal.cli.network;

import com.google.protobuf.InvalidProtocolBufferException;
import io.shoal.api.v1.Network;
import io.shoal.cli.CliCommand;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal network inspect NETWORK...}: a JSON array of the networks, or with {@code --pretty}
 * a summary. Networks that cannot be read are reported and make the exit code 1.
 */
@Command(
    name = "inspect",
    description = "Display detailed information on one or more networks",
    customSynopsis = "shoal network inspect [OPTIONS] NETWORK [NETWORK...]",
    mixinStandardHelpOptions = true)
public final class NetworkInspectCommand extends CliCommand {
  @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE",
      description = "Format output using a custom template: 'json', or a Go template ({{.Spec.Name}})")
  String format;

  @Option(names = "--pretty", description = "Print the information in a human friendly format")
  boolean pretty;

  @Parameters(arity = "1..*", paramLabel = "NETWORK", description = "Network name, id or id prefix")
  List<String> networks = new ArrayList<>();

  @Override
  public Integer call() throws InvalidProtocolBufferException {
    return inspect(networks, control()::getNetwork, pretty, format, network -> printPretty(out(), network));
  }

  static void printPretty(PrintWriter out, Network network) {
    out.println("ID:                 " + network.getId());
    out.println("Name:               " + network.getSpec().getName());
    if (!network.getSpec().getLabelsMap().isEmpty()) {
      out.println("Labels:");
      new TreeMap<>(network.getSpec().getLabelsMap()).forEach((k, v) -> out.println(" - " + k + "=" + v));
    }
    out.println("Driver:             " + network.getSpec().getDriver());
    out.println("Scope:              " + NetworkLsCommand.SCOPE);
    out.println("Attachable:         " + network.getSpec().getAttachable());
    out.println("Internal:           " + network.getSpec().getInternal());
    out.println("VXLAN ID:           " + Integer.toUnsignedString(network.getVxlanId()));
    out.println("IPAM:");
    out.println(" Subnet:            " + network.getIpam().getSubnet());
    out.println(" Gateway:           " + network.getIpam().getGateway());
    if (!network.getIpam().getIpRange().isEmpty()) {
      out.println(" IP Range:          " + network.getIpam().getIpRange());
    }
  }
}
