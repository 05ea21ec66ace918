package io.shoal.cli.service;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.LogDriver;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.CliContext;
import io.shoal.cli.parse.ContainerFlagSyntax;
import io.shoal.cli.parse.EnvFile;
import io.shoal.cli.parse.MountSpec;
import io.shoal.cli.parse.ShellWords;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code service create}'s container options: --mount, --hostname, --dns*, --host,
 * --container-label, --entrypoint, --env-file, --group, --cap-add/--cap-drop, --read-only,
 * --stop-signal, --sysctl, --ulimit, -t/--tty, --log-driver/--log-opt, as Docker spells them.
 */
public final class ContainerOptions {
  @Option(names = "--mount", paramLabel = "MOUNT", description = "Attach a filesystem mount to the service"
      + " (type=bind|volume|tmpfs,source=SRC,target=DST[,readonly][,bind-propagation=P][,volume-nocopy]"
      + "[,volume-label=K=V][,volume-driver=D][,volume-opt=K=V][,tmpfs-size=SIZE][,tmpfs-mode=MODE])")
  List<String> mounts = new ArrayList<>();

  @Option(names = "--hostname", paramLabel = "TEMPLATE",
      description = "Container hostname; a template: {{.Service.Name}}, {{.Task.Slot}}, {{.Node.Hostname}}, ...")
  String hostname;

  @Option(names = "--dns", paramLabel = "IP", description = "Set custom DNS servers")
  List<String> dns = new ArrayList<>();

  @Option(names = "--dns-search", paramLabel = "DOMAIN", description = "Set custom DNS search domains")
  List<String> dnsSearch = new ArrayList<>();

  @Option(names = "--dns-option", paramLabel = "OPTION", description = "Set DNS options (e.g. ndots:2)")
  List<String> dnsOption = new ArrayList<>();

  // Docker's service create calls this --host; here --host/-H is the CLI-wide control address
  // (inherited by every command), so create takes docker run's name for it.
  @Option(names = {"--host", "--add-host"}, paramLabel = "HOST:IP",
      description = "Set one or more custom host-to-IP mappings (--add-host: docker run's name)")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--container-label", paramLabel = "KEY=VALUE", description = "Container labels")
  List<String> containerLabels = new ArrayList<>();

  @Option(names = "--entrypoint", paramLabel = "CMD", description = "Overwrite the default ENTRYPOINT of the image")
  String entrypoint;

  @Option(names = "--env-file", paramLabel = "FILE", description = "Read in a file of environment variables")
  List<String> envFiles = new ArrayList<>();

  @Option(names = "--group", paramLabel = "GROUP", description = "Set one or more supplementary user groups for the container")
  List<String> groups = new ArrayList<>();

  @Option(names = "--cap-add", paramLabel = "CAP", description = "Add Linux capabilities")
  List<String> capAdd = new ArrayList<>();

  @Option(names = "--cap-drop", paramLabel = "CAP", description = "Drop Linux capabilities")
  List<String> capDrop = new ArrayList<>();

  @Option(names = "--read-only", description = "Mount the container's root filesystem as read only")
  boolean readOnly;

  @Option(names = "--stop-signal", paramLabel = "SIGNAL", description = "Signal to stop the container")
  String stopSignal;

  @Option(names = "--sysctl", paramLabel = "KEY=VALUE", description = "Sysctl options")
  List<String> sysctls = new ArrayList<>();

  @Option(names = "--ulimit", paramLabel = "NAME=SOFT[:HARD]", description = "Ulimit options")
  List<String> ulimits = new ArrayList<>();

  @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
  boolean tty;

  @Option(names = "--log-driver", paramLabel = "DRIVER", description = "Logging driver for service")
  String logDriver;

  @Option(names = "--log-opt", paramLabel = "KEY=VALUE", description = "Logging driver options")
  List<String> logOpts = new ArrayList<>();

  /** Adds the options to {@code spec}'s container; --env-file entries go before the -e ones, as in Docker. */
  void applyTo(ServiceSpec.Builder spec, CommandLine cmd, CliContext context) {
    ContainerSpec.Builder c = spec.getContainerBuilder();
    List<String> env = new ArrayList<>(envFiles(cmd, envFiles, context));
    env.addAll(c.getEnvList());
    c.clearEnv().addAllEnv(env);
    c.addAllMounts(parse(cmd, "--mount", mounts, MountSpec::parse));
    if (hostname != null) {
      c.setHostname(hostname);
    }
    if (!dns.isEmpty() || !dnsSearch.isEmpty() || !dnsOption.isEmpty()) {
      c.getDnsConfigBuilder().addAllNameservers(dns).addAllSearch(dnsSearch).addAllOptions(dnsOption);
    }
    c.addAllHosts(parse(cmd, "--host", hosts, ContainerFlagSyntax::hostLine));
    c.putAllLabels(Flags.labels(cmd, "--container-label", containerLabels));
    if (entrypoint != null) {
      c.addAllCommand(words(cmd, "--entrypoint", entrypoint));
    }
    c.addAllGroups(groups);
    c.addAllCapabilityAdd(parse(cmd, "--cap-add", capAdd, ContainerFlagSyntax::capability));
    c.addAllCapabilityDrop(parse(cmd, "--cap-drop", capDrop, ContainerFlagSyntax::capability));
    c.setReadOnly(readOnly).setTty(tty);
    if (stopSignal != null) {
      c.setStopSignal(stopSignal);
    }
    c.putAllSysctls(Flags.labels(cmd, "--sysctl", sysctls));
    c.addAllUlimits(parse(cmd, "--ulimit", ulimits, ContainerFlagSyntax::ulimit));
    logDriver(c, cmd, logDriver, logOpts);
  }

  static void logDriver(ContainerSpec.Builder c, CommandLine cmd, String driver, List<String> opts) {
    if (driver == null) {
      if (!opts.isEmpty()) {
        throw Flags.invalid(cmd, "--log-opt", "needs --log-driver (the options belong to a driver)");
      }
      return;
    }
    if (driver.isEmpty()) {
      c.clearLogDriver();
      return;
    }
    c.setLogDriver(LogDriver.newBuilder().setName(driver).putAllOptions(Flags.labels(cmd, "--log-opt", opts)));
  }

  /** The KEY=VALUE lines of each --env-file, read against the caller's directory. */
  static List<String> envFiles(CommandLine cmd, List<String> files, CliContext context) {
    List<String> env = new ArrayList<>();
    for (String file : files) {
      try {
        env.addAll(EnvFile.parse(file, Files.readString(context.path(file)), context.env()));
      } catch (IOException e) {
        throw Flags.invalid(cmd, "--env-file", "cannot read " + file + ": " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw Flags.invalid(cmd, "--env-file", e.getMessage());
      }
    }
    return env;
  }

  static List<String> words(CommandLine cmd, String flag, String value) {
    try {
      return ShellWords.split(value);
    } catch (IllegalArgumentException e) {
      throw Flags.invalid(cmd, flag, e.getMessage());
    }
  }

  static <T> List<T> parse(CommandLine cmd, String flag, List<String> values, Function<String, T> parser) {
    List<T> parsed = new ArrayList<>();
    for (String v : values) {
      try {
        parsed.add(parser.apply(v));
      } catch (IllegalArgumentException e) {
        throw Flags.invalid(cmd, flag, e.getMessage());
      }
    }
    return parsed;
  }
}
