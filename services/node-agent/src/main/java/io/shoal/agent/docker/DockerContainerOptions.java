package io.shoal.agent.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.BindOptions;
import com.github.dockerjava.api.model.BindPropagation;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Driver;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.TmpfsOptions;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.VolumeOptions;
import io.shoal.agent.exec.ContainerOptions;
import io.shoal.agent.exec.EngineException;
import java.util.ArrayList;
import java.util.List;

/** Puts a task's {@link ContainerOptions} on docker-java's create-container call. */
final class DockerContainerOptions {
  private DockerContainerOptions() {}

  /** Sets what {@code o} holds on {@code cmd} and {@code host}, keeping mounts already on {@code host}. */
  static void apply(ContainerOptions o, CreateContainerCmd cmd, HostConfig host) {
    if (!o.entrypoint().isEmpty()) {
      cmd.withEntrypoint(o.entrypoint());
    }
    if (!o.hostname().isEmpty()) {
      cmd.withHostName(o.hostname());
    }
    if (!o.stopSignal().isEmpty()) {
      cmd.withStopSignal(o.stopSignal());
    }
    if (o.tty()) {
      cmd.withTty(true);
    }
    if (!o.dnsSearch().isEmpty()) {
      host.withDnsSearch(o.dnsSearch());
    }
    if (!o.dnsOptions().isEmpty()) {
      host.withDnsOptions(o.dnsOptions());
    }
    if (!o.extraHosts().isEmpty()) {
      host.withExtraHosts(o.extraHosts().toArray(String[]::new));
    }
    if (!o.groups().isEmpty()) {
      host.withGroupAdd(o.groups());
    }
    if (!o.capAdd().isEmpty()) {
      host.withCapAdd(o.capAdd().stream().map(DockerContainerOptions::capability).toArray(Capability[]::new));
    }
    if (!o.capDrop().isEmpty()) {
      host.withCapDrop(o.capDrop().stream().map(DockerContainerOptions::capability).toArray(Capability[]::new));
    }
    if (o.readOnly()) {
      host.withReadonlyRootfs(true);
    }
    if (!o.sysctls().isEmpty()) {
      host.withSysctls(o.sysctls());
    }
    if (!o.ulimits().isEmpty()) {
      host.withUlimits(o.ulimits().stream().map(u -> new Ulimit(u.name(), u.soft(), u.hard())).toList());
    }
    if (!o.logDriver().isEmpty()) {
      host.withLogConfig(new LogConfig(loggingType(o.logDriver()), o.logOptions()));
    }
    o.healthcheck().ifPresent(h -> cmd.withHealthcheck(healthcheck(h)));
    if (!o.mounts().isEmpty()) {
      List<Mount> mounts = new ArrayList<>(host.getMounts() == null ? List.of() : host.getMounts());
      o.mounts().stream().map(DockerContainerOptions::mount).forEach(mounts::add);
      host.withMounts(mounts);
    }
  }

  /** Docker's HealthConfig; durations in nanoseconds, zero (or no test) meaning the image's or the default. */
  private static HealthCheck healthcheck(ContainerOptions.Healthcheck h) {
    HealthCheck check = new HealthCheck()
        .withInterval(h.interval().toNanos())
        .withTimeout(h.timeout().toNanos())
        .withStartPeriod(h.startPeriod().toNanos())
        .withRetries(h.retries());
    return h.test().isEmpty() ? check : check.withTest(h.test());
  }

  private static Mount mount(ContainerOptions.Mount m) {
    Mount mount = new Mount().withTarget(m.target()).withReadOnly(m.readOnly());
    switch (m.type()) {
      case BIND -> {
        mount.withType(MountType.BIND).withSource(m.source());
        if (!m.propagation().isEmpty()) {
          mount.withBindOptions(new BindOptions().withPropagation(propagation(m.propagation())));
        }
      }
      case VOLUME -> {
        mount.withType(MountType.VOLUME);
        if (!m.source().isEmpty()) {
          mount.withSource(m.source());
        }
        VolumeOptions v = new VolumeOptions().withNoCopy(m.volumeNoCopy()).withLabels(m.volumeLabels());
        if (!m.volumeDriver().isEmpty()) {
          v.withDriverConfig(new Driver().withName(m.volumeDriver()).withOptions(m.volumeDriverOptions()));
        }
        mount.withVolumeOptions(v);
      }
      case TMPFS -> {
        mount.withType(MountType.TMPFS);
        TmpfsOptions t = new TmpfsOptions();
        if (m.tmpfsSizeBytes() > 0) {
          t.withSizeBytes(m.tmpfsSizeBytes());
        }
        if (m.tmpfsMode() != 0) {
          t.withMode(m.tmpfsMode());
        }
        mount.withTmpfsOptions(t);
      }
    }
    return mount;
  }

  private static BindPropagation propagation(String p) {
    return switch (p) {
      case "private" -> BindPropagation.PRIVATE;
      case "rshared" -> BindPropagation.R_SHARED;
      case "shared" -> BindPropagation.SHARED;
      case "rslave" -> BindPropagation.R_SLAVE;
      case "slave" -> BindPropagation.SLAVE;
      default -> BindPropagation.R_PRIVATE;
    };
  }

  private static Capability capability(String name) {
    try {
      return Capability.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new EngineException("capability " + name + " is unknown to this node agent");
    }
  }

  /** docker-java names logging drivers by an enum: a driver it lacks (a plugin) is refused. */
  private static LogConfig.LoggingType loggingType(String name) {
    for (LogConfig.LoggingType t : LogConfig.LoggingType.values()) {
      if (t.getType().equals(name)) {
        return t;
      }
    }
    throw new EngineException("logging driver " + name + " is not supported by this node agent");
  }
}
