package io.shoal.scheduler;

import io.shoal.common.pki.Role;
import io.shoal.common.server.GoDurationConverter;
import io.shoal.common.server.ServerOptions;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.server.tls.CannotStartException;
import io.shoal.common.server.tls.CertificateRenewal;
import io.shoal.common.server.tls.ManagerOptions;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.server.tls.TlsOptions;
import io.shoal.common.store.EtcdOptions;
import io.shoal.common.store.StoreConfig;
import io.shoal.common.store.Writer;
import io.shoal.scheduler.placement.PlacementPlugins;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The scheduler: owns tasks — which exist (orchestration) and where they run (placement). */
@Command(name = "shoal-scheduler", mixinStandardHelpOptions = true,
    description = "Keeps every service's tasks in etcd in line with its spec and places them on nodes.")
public final class SchedulerMain implements Callable<Integer> {
  @Mixin ServerOptions server = new ServerOptions();
  @Mixin EtcdOptions etcd = new EtcdOptions();
  @Mixin TlsOptions tlsOptions = new TlsOptions();
  @Mixin ManagerOptions cluster = new ManagerOptions();

  @Option(names = "--task-history-limit", defaultValue = "5",
      description = "Finished tasks kept per slot (default: ${DEFAULT-VALUE}).")
  int taskHistoryLimit;

  @Option(names = "--leader-ttl", defaultValue = "3s", converter = GoDurationConverter.class,
      description = "How long a dead leader's lease lasts before another scheduler takes over"
          + " (default: ${DEFAULT-VALUE}).")
  java.time.Duration leaderTtl;

  @Option(names = "--instance-id",
      description = "This scheduler's name in the election (default: its listen address and pid).")
  String instanceId;

  @Option(names = "--disable-filter", split = ",", paramLabel = "NAME", completionCandidates = FilterNames.class,
      description = "Placement filters to turn off, by name (repeatable or comma-separated; default: none). "
          + "In the order they run: ${COMPLETION-CANDIDATES}.")
  List<String> disabledFilters = List.of();

  @Option(names = "--disable-preference", split = ",", paramLabel = "NAME",
      completionCandidates = PreferenceNames.class,
      description = "Placement preferences to turn off, by name (repeatable or comma-separated; default: none). "
          + "Strongest first: ${COMPLETION-CANDIDATES}.")
  List<String> disabledPreferences = List.of();

  @Spec
  CommandSpec spec;

  static final class FilterNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return PlacementPlugins.filterNames().iterator();
    }
  }

  static final class PreferenceNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return PlacementPlugins.preferenceNames().iterator();
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    SchedulerConfig config;
    ServiceTls tls;
    Scheduler scheduler;
    try {
      config = config(Optional.ofNullable(tlsOptions.certDir));
      tls = cluster.tls(tlsOptions, "scheduler", Role.MANAGER);
      scheduler = DaggerSchedulerComponent.builder()
          .configModule(new ConfigModule(config, tls, server.traceSettings()))
          .build()
          .scheduler();
    } catch (CannotStartException | IllegalArgumentException e) {
      return ServiceMain.refuse(spec, "shoal-scheduler", e.getMessage());
    }
    ServiceMain.run("scheduler", scheduler, scheduler::start,
        CertificateRenewal.start("scheduler", tls, cluster.manager()));
    return 0;
  }

  /** The flags as a config; an unknown plugin name is a usage error (exit code 2). */
  SchedulerConfig config() {
    return config(Optional.empty());
  }

  SchedulerConfig config(Optional<Path> certDir) {
    try {
      PlacementPlugins.filters(disabledFilters);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--disable-filter: " + e.getMessage());
    }
    try {
      PlacementPlugins.preferences(disabledPreferences);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--disable-preference: " + e.getMessage());
    }
    List<InetSocketAddress> listen = server.listenAddresses("127.0.0.1:7402");
    InetSocketAddress address = listen.get(0);
    String id = (instanceId != null ? instanceId : address.getHostString() + ":" + address.getPort())
        + "/" + ProcessHandle.current().pid();
    return new SchedulerConfig(listen, server.metricsPort == null ? 9402 : server.metricsPort,
        etcd.config(Writer.SCHEDULER, certDir), taskHistoryLimit, leaderTtl, id,
        Set.copyOf(disabledFilters), Set.copyOf(disabledPreferences));
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SchedulerMain()).execute(args));
  }
}
