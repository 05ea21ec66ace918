package io.shoal.control;

import com.google.common.net.InetAddresses;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.DnsConfig;
import io.shoal.api.v1.Mount;
import io.shoal.api.v1.Ulimit;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.spec.HostnameTemplate;
import io.shoal.control.limits.SpecLimits;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the container options of a ContainerSpec (mounts, hostname, DNS, hosts, capabilities,
 * sysctls, ulimits, stop signal, log driver...) as dockerd would refuse them at container create,
 * so a bad spec is refused at the edge rather than by every node's engine.
 */
final class ContainerOptionsValidator {
  /** Docker's volume name grammar (daemon/names). */
  private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
  private static final Pattern SYSCTL = Pattern.compile("[a-zA-Z0-9_]+([./][a-zA-Z0-9_-]+)+");
  private static final Pattern LOG_DRIVER = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_./:-]*");
  private static final Pattern HOST_NAME = Pattern.compile("[^\\s#]+");
  private static final Set<String> PROPAGATIONS =
      Set.of("rprivate", "private", "rshared", "shared", "rslave", "slave");
  private static final Set<String> ULIMITS = Set.of("core", "cpu", "data", "fsize", "locks",
      "memlock", "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");
  /** Linux's capabilities (capabilities(7)), as Docker names them. */
  private static final Set<String> CAPABILITIES = Set.of("AUDIT_CONTROL", "AUDIT_READ",
      "AUDIT_WRITE", "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "CHOWN", "DAC_OVERRIDE",
      "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE",
      "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE",
      "NET_BROADCAST", "NET_RAW", "PERFMON", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_ADMIN",
      "SYS_BOOT", "SYS_CHROOT", "SYSLOG", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE",
      "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "WAKE_ALARM");
  /** Linux's signal names without SIG (signal(7)); RTMIN+n and numbers are checked apart. */
  private static final Set<String> SIGNALS = Set.of("ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT",
      "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV",
      "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2",
      "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMAX");
  private static final Pattern RT_SIGNAL = Pattern.compile("RTMIN\\+([0-9]{1,2})|RTMAX-([0-9]{1,2})");

  private ContainerOptionsValidator() {}

  static void check(ContainerSpec c) {
    words("ContainerSpec.command", c.getCommandList());
    hostname(c.getHostname());
    SpecLimits.labels("ContainerSpec.labels", c.getLabelsMap());
    for (String key : c.getLabelsMap().keySet()) {
      if (key.startsWith("io.shoal.")) {
        throw new InvalidArgumentException("ContainerSpec.labels",
            "label " + key + ": keys under io.shoal. are the node agent's own");
      }
    }
    mounts(c.getMountsList());
    dns(c.getDnsConfig());
    hosts(c.getHostsList());
    SpecLimits.count("ContainerSpec.groups", c.getGroupsCount(), SpecLimits.MAX_GROUPS);
    for (int i = 0; i < c.getGroupsCount(); i++) {
      notBlank("ContainerSpec.groups[" + i + "]", c.getGroups(i), SpecLimits.MAX_USER);
    }
    capabilities("ContainerSpec.capability_add", c.getCapabilityAddList());
    capabilities("ContainerSpec.capability_drop", c.getCapabilityDropList());
    stopSignal(c.getStopSignal());
    sysctls(c.getSysctlsMap());
    ulimits(c.getUlimitsList());
    if (c.hasLogDriver()) {
      String name = c.getLogDriver().getName();
      SpecLimits.length("ContainerSpec.log_driver.name", name, SpecLimits.MAX_LOG_DRIVER);
      if (!LOG_DRIVER.matcher(name).matches()) {
        throw new InvalidArgumentException("ContainerSpec.log_driver.name",
            "\"" + name + "\" is not a logging driver name");
      }
      options("ContainerSpec.log_driver.options", c.getLogDriver().getOptionsMap());
    }
  }

  private static void words(String field, List<String> words) {
    SpecLimits.count(field, words.size(), SpecLimits.MAX_ARGS);
    for (int i = 0; i < words.size(); i++) {
      SpecLimits.length(field + "[" + i + "]", words.get(i), SpecLimits.MAX_ARG);
    }
  }

  private static void hostname(String hostname) {
    SpecLimits.length("ContainerSpec.hostname", hostname, SpecLimits.MAX_HOSTNAME_TEMPLATE);
    try {
      HostnameTemplate.parse(hostname);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("ContainerSpec.hostname", e.getMessage());
    }
    if (hostname.chars().anyMatch(Character::isWhitespace)) {
      throw new InvalidArgumentException("ContainerSpec.hostname", "must not contain whitespace");
    }
  }

  private static void mounts(List<Mount> mounts) {
    SpecLimits.count("ContainerSpec.mounts", mounts.size(), SpecLimits.MAX_MOUNTS);
    Set<String> targets = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      Mount m = mounts.get(i);
      String field = "ContainerSpec.mounts[" + i + "]";
      SpecLimits.length(field + ".source", m.getSource(), SpecLimits.MAX_WORKDIR);
      SpecLimits.length(field + ".target", m.getTarget(), SpecLimits.MAX_WORKDIR);
      if (!m.getTarget().startsWith("/")) {
        throw new InvalidArgumentException(field + ".target",
            "\"" + m.getTarget() + "\": the target must be an absolute path in the container");
      }
      if (!targets.add(m.getTarget())) {
        throw new InvalidArgumentException(field + ".target", m.getTarget() + " is mounted twice");
      }
      switch (m.getType()) {
        case TYPE_BIND -> {
          if (!m.getSource().startsWith("/")) {
            throw new InvalidArgumentException(field + ".source",
                "\"" + m.getSource() + "\": a bind mount's source must be an absolute path on the node");
          }
          only(field, m, "bind_options", m.hasVolumeOptions() || m.hasTmpfsOptions());
          if (m.hasBindOptions() && !m.getBindOptions().getPropagation().isEmpty()
              && !PROPAGATIONS.contains(m.getBindOptions().getPropagation())) {
            throw new InvalidArgumentException(field + ".bind_options.propagation",
                "\"" + m.getBindOptions().getPropagation() + "\" is not one of " + sorted(PROPAGATIONS));
          }
        }
        case TYPE_VOLUME -> {
          if (!m.getSource().isEmpty() && !VOLUME_NAME.matcher(m.getSource()).matches()) {
            throw new InvalidArgumentException(field + ".source", "\"" + m.getSource()
                + "\": a volume name must match " + VOLUME_NAME.pattern() + " (a path needs type=bind)");
          }
          only(field, m, "volume_options", m.hasBindOptions() || m.hasTmpfsOptions());
          SpecLimits.labels(field + ".volume_options.labels", m.getVolumeOptions().getLabelsMap());
          SpecLimits.length(field + ".volume_options.driver", m.getVolumeOptions().getDriver(),
              SpecLimits.MAX_LOG_DRIVER);
          options(field + ".volume_options.driver_options", m.getVolumeOptions().getDriverOptionsMap());
        }
        case TYPE_TMPFS -> {
          if (!m.getSource().isEmpty()) {
            throw new InvalidArgumentException(field + ".source", "a tmpfs mount has no source");
          }
          only(field, m, "tmpfs_options", m.hasBindOptions() || m.hasVolumeOptions());
          if (m.getTmpfsOptions().getSizeBytes() < 0) {
            throw new InvalidArgumentException(field + ".tmpfs_options.size_bytes", "must not be negative");
          }
          if (Integer.compareUnsigned(m.getTmpfsOptions().getMode(), 07777) > 0) {
            throw new InvalidArgumentException(field + ".tmpfs_options.mode",
                "0" + Integer.toOctalString(m.getTmpfsOptions().getMode()) + " is outside 0-07777");
          }
        }
        default -> throw new InvalidArgumentException(field + ".type",
            "a mount's type must be bind, volume or tmpfs");
      }
    }
  }

  private static void only(String field, Mount m, String allowed, boolean others) {
    if (others) {
      throw new InvalidArgumentException(field, "a " + m.getType().name().substring(5).toLowerCase()
          + " mount takes only " + allowed);
    }
  }

  private static void dns(DnsConfig dns) {
    SpecLimits.count("ContainerSpec.dns_config.nameservers", dns.getNameserversCount(), SpecLimits.MAX_NAMESERVERS);
    for (int i = 0; i < dns.getNameserversCount(); i++) {
      if (!InetAddresses.isInetAddress(dns.getNameservers(i))) {
        throw new InvalidArgumentException("ContainerSpec.dns_config.nameservers[" + i + "]",
            "\"" + dns.getNameservers(i) + "\" is not an IP address");
      }
    }
    SpecLimits.count("ContainerSpec.dns_config.search", dns.getSearchCount(), SpecLimits.MAX_DNS_ENTRIES);
    for (int i = 0; i < dns.getSearchCount(); i++) {
      notBlank("ContainerSpec.dns_config.search[" + i + "]", dns.getSearch(i), 253);
      noSpace("ContainerSpec.dns_config.search[" + i + "]", dns.getSearch(i));
    }
    SpecLimits.count("ContainerSpec.dns_config.options", dns.getOptionsCount(), SpecLimits.MAX_DNS_ENTRIES);
    for (int i = 0; i < dns.getOptionsCount(); i++) {
      notBlank("ContainerSpec.dns_config.options[" + i + "]", dns.getOptions(i), 256);
      noSpace("ContainerSpec.dns_config.options[" + i + "]", dns.getOptions(i));
    }
  }

  private static void hosts(List<String> hosts) {
    SpecLimits.count("ContainerSpec.hosts", hosts.size(), SpecLimits.MAX_HOSTS);
    for (int i = 0; i < hosts.size(); i++) {
      String field = "ContainerSpec.hosts[" + i + "]";
      SpecLimits.length(field, hosts.get(i), SpecLimits.MAX_HOST_LINE);
      String[] words = hosts.get(i).strip().split("\\s+");
      if (words.length < 2 || !InetAddresses.isInetAddress(words[0])) {
        throw new InvalidArgumentException(field,
            "\"" + hosts.get(i) + "\" must be \"IP_ADDRESS HOSTNAME [ALIAS...]\"");
      }
      for (int w = 1; w < words.length; w++) {
        if (!HOST_NAME.matcher(words[w]).matches()) {
          throw new InvalidArgumentException(field, "\"" + words[w] + "\" is not a host name");
        }
      }
    }
  }

  private static void capabilities(String field, List<String> caps) {
    SpecLimits.count(field, caps.size(), SpecLimits.MAX_CAPABILITIES);
    for (String cap : caps) {
      if (!cap.equals("ALL") && !(cap.startsWith("CAP_") && CAPABILITIES.contains(cap.substring(4)))) {
        throw new InvalidArgumentException(field, "unknown capability \"" + cap
            + "\" (CAP_NAME in upper case, e.g. CAP_NET_ADMIN, or ALL)");
      }
    }
  }

  private static void stopSignal(String signal) {
    if (signal.isEmpty()) {
      return;
    }
    SpecLimits.length("ContainerSpec.stop_signal", signal, 16);
    if (signal.chars().allMatch(Character::isDigit)) {
      int n = Integer.parseInt(signal);
      if (n >= 1 && n <= 64) {
        return;
      }
    } else {
      String name = signal.startsWith("SIG") ? signal.substring(3) : signal;
      java.util.regex.Matcher rt = RT_SIGNAL.matcher(name);
      if (SIGNALS.contains(name) || rt.matches() && Integer.parseInt(rt.group(1) != null ? rt.group(1) : rt.group(2)) <= 30) {
        return;
      }
    }
    throw new InvalidArgumentException("ContainerSpec.stop_signal",
        "invalid signal \"" + signal + "\" (a name such as SIGTERM or TERM, or a number 1-64)");
  }

  private static void sysctls(Map<String, String> sysctls) {
    SpecLimits.count("ContainerSpec.sysctls", sysctls.size(), SpecLimits.MAX_SYSCTLS);
    for (Map.Entry<String, String> s : sysctls.entrySet()) {
      SpecLimits.length("ContainerSpec.sysctls key", s.getKey(), 256);
      if (!SYSCTL.matcher(s.getKey()).matches()) {
        throw new InvalidArgumentException("ContainerSpec.sysctls",
            "\"" + s.getKey() + "\" is not a sysctl name (e.g. net.ipv4.ip_forward)");
      }
      SpecLimits.length("ContainerSpec.sysctls[" + s.getKey() + "]", s.getValue(), 4096);
    }
  }

  private static void ulimits(List<Ulimit> ulimits) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ulimits.size(); i++) {
      Ulimit u = ulimits.get(i);
      String field = "ContainerSpec.ulimits[" + i + "]";
      if (!ULIMITS.contains(u.getName())) {
        throw new InvalidArgumentException(field + ".name",
            "unknown ulimit \"" + u.getName() + "\" (one of " + sorted(ULIMITS) + ")");
      }
      if (!names.add(u.getName())) {
        throw new InvalidArgumentException(field + ".name", "ulimit " + u.getName() + " is set twice");
      }
      if (u.getSoft() < -1 || u.getHard() < -1) {
        throw new InvalidArgumentException(field, "a limit is -1 (unlimited) or at least 0");
      }
      long soft = u.getSoft() == -1 ? Long.MAX_VALUE : u.getSoft();
      long hard = u.getHard() == -1 ? Long.MAX_VALUE : u.getHard();
      if (soft > hard) {
        throw new InvalidArgumentException(field, "soft limit " + u.getSoft()
            + " is above hard limit " + u.getHard() + " for " + u.getName());
      }
    }
  }

  private static void options(String field, Map<String, String> options) {
    SpecLimits.count(field, options.size(), SpecLimits.MAX_DRIVER_OPTIONS);
    SpecLimits.labels(field, options);
  }

  private static void notBlank(String field, String value, int max) {
    SpecLimits.length(field, value, max);
    if (value.isBlank()) {
      throw new InvalidArgumentException(field, "must not be empty");
    }
  }

  private static void noSpace(String field, String value) {
    if (value.chars().anyMatch(Character::isWhitespace)) {
      throw new InvalidArgumentException(field, "\"" + value + "\" must not contain whitespace");
    }
  }

  private static String sorted(Set<String> values) {
    return String.join(", ", new java.util.TreeSet<>(values));
  }
}
