package io.shoal.cli.service;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.DnsConfig;
import io.shoal.api.v1.Mount;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Ulimit;
import io.shoal.cli.parse.ContainerFlagSyntax;
import io.shoal.cli.parse.MountSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code service update}'s container options with Docker's update forms: -add/-rm pairs
 * (removals first, then additions; an added mount, ulimit, sysctl or label replaces the one with
 * its target, name or key), and the single-valued flags set anew.
 */
public final class ContainerUpdateOptions {
  @Option(names = "--mount-add", paramLabel = "MOUNT", description = "Add or update a mount on a service (as create's --mount)")
  List<String> mountAdd = new ArrayList<>();

  @Option(names = "--mount-rm", paramLabel = "TARGET", description = "Remove a mount by its target path")
  List<String> mountRm = new ArrayList<>();

  @Option(names = "--hostname", paramLabel = "TEMPLATE", description = "Container hostname (template; \"\" for the default)")
  String hostname;

  @Option(names = "--dns-add", paramLabel = "IP", description = "Add or update a custom DNS server")
  List<String> dnsAdd = new ArrayList<>();

  @Option(names = "--dns-rm", paramLabel = "IP", description = "Remove a custom DNS server")
  List<String> dnsRm = new ArrayList<>();

  @Option(names = "--dns-search-add", paramLabel = "DOMAIN", description = "Add or update a custom DNS search domain")
  List<String> dnsSearchAdd = new ArrayList<>();

  @Option(names = "--dns-search-rm", paramLabel = "DOMAIN", description = "Remove a DNS search domain")
  List<String> dnsSearchRm = new ArrayList<>();

  @Option(names = "--dns-option-add", paramLabel = "OPTION", description = "Add or update a DNS option")
  List<String> dnsOptionAdd = new ArrayList<>();

  @Option(names = "--dns-option-rm", paramLabel = "OPTION", description = "Remove a DNS option")
  List<String> dnsOptionRm = new ArrayList<>();

  @Option(names = "--host-add", paramLabel = "HOST:IP", description = "Add a custom host-to-IP mapping")
  List<String> hostAdd = new ArrayList<>();

  @Option(names = "--host-rm", paramLabel = "HOST[:IP]", description = "Remove a custom host-to-IP mapping")
  List<String> hostRm = new ArrayList<>();

  @Option(names = "--container-label-add", paramLabel = "KEY=VALUE", description = "Add or update a container label")
  List<String> containerLabelAdd = new ArrayList<>();

  @Option(names = "--container-label-rm", paramLabel = "KEY", description = "Remove a container label by its key")
  List<String> containerLabelRm = new ArrayList<>();

  @Option(names = "--label-add", paramLabel = "KEY=VALUE", description = "Add or update a service label")
  List<String> labelAdd = new ArrayList<>();

  @Option(names = "--label-rm", paramLabel = "KEY", description = "Remove a label by its key")
  List<String> labelRm = new ArrayList<>();

  @Option(names = "--entrypoint", paramLabel = "CMD", description = "Overwrite the default ENTRYPOINT of the image (\"\" for the image's)")
  String entrypoint;

  @Option(names = "--group-add", paramLabel = "GROUP", description = "Add an additional supplementary user group to the container")
  List<String> groupAdd = new ArrayList<>();

  @Option(names = "--group-rm", paramLabel = "GROUP", description = "Remove a previously added supplementary user group from the container")
  List<String> groupRm = new ArrayList<>();

  @Option(names = "--cap-add", paramLabel = "CAP", description = "Add Linux capabilities")
  List<String> capAdd = new ArrayList<>();

  @Option(names = "--cap-drop", paramLabel = "CAP", description = "Drop Linux capabilities")
  List<String> capDrop = new ArrayList<>();

  @Option(names = "--read-only", arity = "0..1", paramLabel = "BOOL",
      description = "Mount the container's root filesystem as read only (--read-only=false to stop)")
  Boolean readOnly;

  @Option(names = "--stop-signal", paramLabel = "SIGNAL", description = "Signal to stop the container (\"\" for the image's)")
  String stopSignal;

  @Option(names = "--sysctl-add", paramLabel = "KEY=VALUE", description = "Add or update a Sysctl option")
  List<String> sysctlAdd = new ArrayList<>();

  @Option(names = "--sysctl-rm", paramLabel = "KEY", description = "Remove a Sysctl option")
  List<String> sysctlRm = new ArrayList<>();

  @Option(names = "--ulimit-add", paramLabel = "NAME=SOFT[:HARD]", description = "Add or update a ulimit option")
  List<String> ulimitAdd = new ArrayList<>();

  @Option(names = "--ulimit-rm", paramLabel = "NAME", description = "Remove a ulimit option")
  List<String> ulimitRm = new ArrayList<>();

  @Option(names = {"-t", "--tty"}, arity = "0..1", paramLabel = "BOOL", description = "Allocate a pseudo-TTY (--tty=false to stop)")
  Boolean tty;

  @Option(names = "--log-driver", paramLabel = "DRIVER", description = "Logging driver for service (\"\" for the engine's)")
  String logDriver;

  @Option(names = "--log-opt", paramLabel = "KEY=VALUE", description = "Logging driver options (with --log-driver)")
  List<String> logOpts = new ArrayList<>();

  /** Applies the flags to one read of the service; may run again after a lost race. */
  void applyTo(ServiceSpec.Builder spec, CommandLine cmd) {
    ContainerSpec.Builder c = spec.getContainerBuilder();
    mounts(c, cmd);
    if (hostname != null) {
      c.setHostname(hostname);
    }
    if (!dnsAdd.isEmpty() || !dnsRm.isEmpty() || !dnsSearchAdd.isEmpty() || !dnsSearchRm.isEmpty()
        || !dnsOptionAdd.isEmpty() || !dnsOptionRm.isEmpty()) {
      DnsConfig d = c.getDnsConfig();
      c.setDnsConfig(DnsConfig.newBuilder()
          .addAllNameservers(edit(d.getNameserversList(), dnsAdd, dnsRm))
          .addAllSearch(edit(d.getSearchList(), dnsSearchAdd, dnsSearchRm))
          .addAllOptions(edit(d.getOptionsList(), dnsOptionAdd, dnsOptionRm)));
    }
    hosts(c, cmd);
    c.clearLabels().putAllLabels(labels(c.getLabelsMap(), cmd, "--container-label-add", containerLabelAdd,
        containerLabelRm));
    spec.clearLabels().putAllLabels(labels(spec.getLabelsMap(), cmd, "--label-add", labelAdd, labelRm));
    if (entrypoint != null) {
      c.clearCommand().addAllCommand(ContainerOptions.words(cmd, "--entrypoint", entrypoint));
    }
    if (!groupAdd.isEmpty() || !groupRm.isEmpty()) {
      List<String> groups = edit(c.getGroupsList(), groupAdd, groupRm);
      c.clearGroups().addAllGroups(groups);
    }
    capabilities(c, cmd);
    if (readOnly != null) {
      c.setReadOnly(readOnly);
    }
    if (stopSignal != null) {
      c.setStopSignal(stopSignal);
    }
    Map<String, String> sysctls = labels(c.getSysctlsMap(), cmd, "--sysctl-add", sysctlAdd, sysctlRm);
    c.clearSysctls().putAllSysctls(sysctls);
    ulimits(c, cmd);
    if (tty != null) {
      c.setTty(tty);
    }
    ContainerOptions.logDriver(c, cmd, logDriver, logOpts);
  }

  /** By target: an added mount replaces the one at its target in place, or is appended. */
  private void mounts(ContainerSpec.Builder c, CommandLine cmd) {
    if (mountAdd.isEmpty() && mountRm.isEmpty()) {
      return;
    }
    List<Mount> added = ContainerOptions.parse(cmd, "--mount-add", mountAdd, MountSpec::parse);
    List<Mount> mounts = new ArrayList<>(c.getMountsList());
    mounts.removeIf(m -> mountRm.contains(m.getTarget()));
    for (Mount m : added) {
      if (mountRm.contains(m.getTarget())) {
        continue;
      }
      int at = indexOf(mounts.stream().map(Mount::getTarget).toList(), m.getTarget());
      if (at < 0) {
        mounts.add(m);
      } else {
        mounts.set(at, m);
      }
    }
    c.clearMounts().addAllMounts(mounts);
  }

  /** --host-rm HOST removes every line of HOST; HOST:IP only the one with that address. */
  private void hosts(ContainerSpec.Builder c, CommandLine cmd) {
    if (hostAdd.isEmpty() && hostRm.isEmpty()) {
      return;
    }
    List<String> hosts = new ArrayList<>(c.getHostsList());
    for (String rm : hostRm) {
      int colon = rm.indexOf(':');
      String host = colon < 0 ? rm : rm.substring(0, colon);
      String ip = colon < 0 ? null : rm.substring(colon + 1);
      hosts.removeIf(line -> ContainerFlagSyntax.hostOfLine(line).equals(host)
          && (ip == null || line.strip().split("\\s+")[0].equals(ip)));
    }
    for (String line : ContainerOptions.parse(cmd, "--host-add", hostAdd, ContainerFlagSyntax::hostLine)) {
      if (!hosts.contains(line)) {
        hosts.add(line);
      }
    }
    c.clearHosts().addAllHosts(hosts);
  }

  /** As Docker: an added capability leaves the drop list, a dropped one the add list. */
  private void capabilities(ContainerSpec.Builder c, CommandLine cmd) {
    if (capAdd.isEmpty() && capDrop.isEmpty()) {
      return;
    }
    List<String> add = ContainerOptions.parse(cmd, "--cap-add", capAdd, ContainerFlagSyntax::capability);
    List<String> drop = ContainerOptions.parse(cmd, "--cap-drop", capDrop, ContainerFlagSyntax::capability);
    List<String> adds = edit(c.getCapabilityAddList(), add, drop);
    List<String> drops = edit(c.getCapabilityDropList(), drop, add);
    c.clearCapabilityAdd().addAllCapabilityAdd(adds).clearCapabilityDrop().addAllCapabilityDrop(drops);
  }

  private void ulimits(ContainerSpec.Builder c, CommandLine cmd) {
    if (ulimitAdd.isEmpty() && ulimitRm.isEmpty()) {
      return;
    }
    List<Ulimit> ulimits = new ArrayList<>(c.getUlimitsList());
    ulimits.removeIf(u -> ulimitRm.contains(u.getName()));
    for (Ulimit u : ContainerOptions.parse(cmd, "--ulimit-add", ulimitAdd, ContainerFlagSyntax::ulimit)) {
      int at = indexOf(ulimits.stream().map(Ulimit::getName).toList(), u.getName());
      if (at < 0) {
        ulimits.add(u);
      } else {
        ulimits.set(at, u);
      }
    }
    c.clearUlimits().addAllUlimits(ulimits);
  }

  /** {@code current} without {@code rm}, then each of {@code add} not yet in it. */
  static List<String> edit(List<String> current, List<String> add, List<String> rm) {
    List<String> out = new ArrayList<>(current);
    out.removeAll(rm);
    add.stream().filter(a -> !out.contains(a)).forEach(out::add);
    return out;
  }

  /** Keys removed ({@code KEY} or {@code KEY=...}), then {@code KEY=VALUE}s put. */
  private static Map<String, String> labels(Map<String, String> current, CommandLine cmd, String flag,
      List<String> add, List<String> rm) {
    Map<String, String> out = new java.util.LinkedHashMap<>(current);
    for (String key : rm) {
      out.remove(key.contains("=") ? key.substring(0, key.indexOf('=')) : key);
    }
    out.putAll(Flags.labels(cmd, flag, add));
    return out;
  }

  private static int indexOf(List<String> keys, String key) {
    return keys.indexOf(key);
  }
}
