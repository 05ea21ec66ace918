package io.shoal.agent.exec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container's options beyond what it runs (Docker's --mount, --hostname, --dns-*, --host,
 * --group, --cap-*, --read-only, --stop-signal, --sysctl, --ulimit, -t, --log-*), in
 * engine-neutral terms. Built from the task's ContainerSpec by {@link TaskContainerOptions}.
 *
 * @param entrypoint replaces the image's ENTRYPOINT; empty keeps it
 * @param hostname the rendered --hostname; empty: the engine's default
 * @param dnsSearch search domains; empty keeps the engine's
 * @param dnsOptions resolv.conf options; empty keeps the engine's
 * @param extraHosts /etc/hosts entries as the engine takes them, {@code HOSTNAME:IP}
 * @param capAdd capabilities without the CAP_ prefix, or ALL
 * @param stopSignal empty: the image's
 * @param logDriver empty: the engine's default driver, and {@code logOptions} are ignored
 * @param healthcheck the spec's --health-* (empty: the image's HEALTHCHECK, if any)
 */
public record ContainerOptions(
    List<String> entrypoint,
    String hostname,
    List<String> dnsSearch,
    List<String> dnsOptions,
    List<String> extraHosts,
    List<Mount> mounts,
    List<String> groups,
    List<String> capAdd,
    List<String> capDrop,
    boolean readOnly,
    String stopSignal,
    Map<String, String> sysctls,
    List<Ulimit> ulimits,
    boolean tty,
    String logDriver,
    Map<String, String> logOptions,
    Optional<Healthcheck> healthcheck) {

  public static final ContainerOptions NONE = new ContainerOptions(List.of(), "", List.of(), List.of(),
      List.of(), List.of(), List.of(), List.of(), List.of(), false, "", Map.of(), List.of(), false, "", Map.of(),
      Optional.empty());

  /**
   * Docker's HealthConfig.
   *
   * @param test {@code ["NONE"]}, {@code ["CMD", ...]}, {@code ["CMD-SHELL", cmd]}, or empty to keep
   *     the image's test (the durations still apply)
   * @param interval zero: the engine's default, as are {@code timeout}, {@code startPeriod} and
   *     {@code retries}
   */
  public record Healthcheck(List<String> test, Duration interval, Duration timeout, Duration startPeriod,
      int retries) {
    public Healthcheck {
      test = List.copyOf(test);
    }
  }

  public ContainerOptions {
    entrypoint = List.copyOf(entrypoint);
    dnsSearch = List.copyOf(dnsSearch);
    dnsOptions = List.copyOf(dnsOptions);
    extraHosts = List.copyOf(extraHosts);
    mounts = List.copyOf(mounts);
    groups = List.copyOf(groups);
    capAdd = List.copyOf(capAdd);
    capDrop = List.copyOf(capDrop);
    sysctls = Map.copyOf(sysctls);
    ulimits = List.copyOf(ulimits);
    logOptions = Map.copyOf(logOptions);
  }

  /** A mount's kind, as the engine names it. */
  public enum MountType { BIND, VOLUME, TMPFS }

  /**
   * One --mount.
   *
   * @param source bind: the host path; volume: its name, empty for an anonymous one; tmpfs: empty
   * @param propagation bind only; empty: the engine's default (rprivate)
   * @param volumeDriver volume only; empty: local
   * @param tmpfsSizeBytes tmpfs only; 0: the kernel's default
   * @param tmpfsMode tmpfs only; 0: the engine's default
   */
  public record Mount(MountType type, String source, String target, boolean readOnly, String propagation,
      boolean volumeNoCopy, Map<String, String> volumeLabels, String volumeDriver,
      Map<String, String> volumeDriverOptions, long tmpfsSizeBytes, int tmpfsMode) {
    public Mount {
      volumeLabels = Map.copyOf(volumeLabels);
      volumeDriverOptions = Map.copyOf(volumeDriverOptions);
    }
  }

  /** One --ulimit; -1 is unlimited. */
  public record Ulimit(String name, long soft, long hard) {}
}
