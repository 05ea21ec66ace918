package io.shoal.cli.network;

import io.shoal.api.v1.IpamConfig;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.NetworkSpec;
import io.shoal.cli.CliCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal network create [OPTIONS] NETWORK}: stores an overlay network and prints its id, as
 * {@code docker network create} does. Without {@code --subnet}, control gives it the next free
 * block of its default address pool.
 */
@Command(
    name = "create",
    description = "Create a network",
    customSynopsis = "shoal network create [OPTIONS] NETWORK",
    mixinStandardHelpOptions = true)
public final class NetworkCreateCommand extends CliCommand {
  @Option(
      names = {"-d", "--driver"},
      paramLabel = "DRIVER",
      description = "Driver to manage the network (only \"overlay\"; the default)")
  String driver = "overlay";

  @Option(names = "--subnet", paramLabel = "CIDR", description = "Subnet, e.g. 10.0.9.0/24 (default: the next free one of the pool)")
  String subnet;

  @Option(names = "--gateway", paramLabel = "IP", description = "Gateway of the subnet (default: its first address)")
  String gateway;

  @Option(names = "--ip-range", paramLabel = "CIDR", description = "Allocate task addresses from this part of the subnet")
  String ipRange;

  @Option(names = "--attachable", description = "Not supported: plain containers (docker run --network) cannot join"
      + " Shoal networks; run the workload as a service (service create --network) instead")
  boolean attachable;

  @Option(names = "--internal", description = "Restrict external access to the network")
  boolean internal;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description = "Set metadata on the network")
  List<String> labels = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "NETWORK", description = "Network name")
  String name;

  @Override
  public Integer call() {
    NetworkSpec.Builder network = NetworkSpec.newBuilder()
        .setName(name)
        .setDriver(driver)
        .setAttachable(attachable)
        .setInternal(internal)
        .putAllLabels(labels());
    IpamConfig.Builder ipam = network.getIpamBuilder();
    if (subnet != null) {
      ipam.setSubnet(subnet);
    }
    if (gateway != null) {
      ipam.setGateway(gateway);
    }
    if (ipRange != null) {
      ipam.setIpRange(ipRange);
    }
    Network created = control().createNetwork(network.build());
    out().println(created.getId());
    out().flush();
    return 0;
  }

  /** {@code KEY=VALUE}; a bare {@code KEY} gets an empty value, as in Docker. */
  private Map<String, String> labels() {
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String label : labels) {
      int eq = label.indexOf('=');
      String key = eq < 0 ? label : label.substring(0, eq);
      if (key.isBlank()) {
        throw new ParameterException(spec.commandLine(),
            "Invalid value for option '--label': bad label \"" + label + "\": empty key");
      }
      parsed.put(key, eq < 0 ? "" : label.substring(eq + 1));
    }
    return parsed;
  }
}
