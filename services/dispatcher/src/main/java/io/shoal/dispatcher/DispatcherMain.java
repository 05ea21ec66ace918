package io.shoal.dispatcher;

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
import io.shoal.common.pki.ClusterKey;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The dispatcher: serves node agents' sessions (shoal.v1.DispatcherService). */
@Command(name = "shoal-dispatcher", mixinStandardHelpOptions = true,
    description = "Serves node agents: registration, heartbeats, assignments, task status.")
public final class DispatcherMain implements Callable<Integer> {
  @Mixin ServerOptions server = new ServerOptions();
  @Mixin EtcdOptions etcd = new EtcdOptions();
  @Mixin TlsOptions tlsOptions = new TlsOptions();
  @Mixin ManagerOptions cluster = new ManagerOptions();
  @Spec CommandSpec spec;

  @Option(names = "--heartbeat-period", defaultValue = "2s", converter = GoDurationConverter.class,
      description = "How often agents heartbeat; a node is DOWN after three missed periods (default: ${DEFAULT-VALUE}).")
  Duration heartbeatPeriod;

  @Option(names = "--cluster-key-file", defaultValue = "${env:SHOAL_CLUSTER_KEY_FILE}",
      description = "File holding the cluster key (control's) that opens secrets for the nodes whose tasks use"
          + " them; env SHOAL_CLUSTER_KEY_FILE, or the key itself in env SHOAL_CLUSTER_KEY. Without it, tasks"
          + " with secrets are rejected on their nodes, saying so.")
  Path clusterKeyFile;

  /** The cluster key from --cluster-key-file, else from SHOAL_CLUSTER_KEY; never from etcd. */
  Optional<ClusterKey> clusterKey() {
    return ClusterKey.fromFileOrEnvironment(clusterKeyFile);
  }

  @Override
  public Integer call() throws InterruptedException {
    DispatcherConfig config;
    ServiceTls tls;
    Dispatcher dispatcher;
    try {
      config = config(Optional.ofNullable(tlsOptions.certDir));
      tls = cluster.tls(tlsOptions, "dispatcher", Role.MANAGER);
      dispatcher = DaggerDispatcherComponent.builder()
          .configModule(new ConfigModule(config, tls, server.traceSettings()))
          .build()
          .dispatcher();
    } catch (CannotStartException | IllegalArgumentException e) {
      return ServiceMain.refuse(spec, "shoal-dispatcher", e.getMessage());
    }
    ServiceMain.run("dispatcher", dispatcher, dispatcher::start,
        CertificateRenewal.start("dispatcher", tls, cluster.manager()));
    return 0;
  }

  DispatcherConfig config() {
    return config(Optional.empty());
  }

  DispatcherConfig config(Optional<Path> certDir) {
    List<InetSocketAddress> listen = server.listenAddresses("127.0.0.1:7403");
    InetSocketAddress first = listen.get(0);
    return new DispatcherConfig(listen, server.metricsPort == null ? 9403 : server.metricsPort,
        etcd.config(Writer.DISPATCHER, certDir), first.getHostString() + ":" + first.getPort(),
        heartbeatPeriod, AgentSession.STALL_TIMEOUT, clusterKey());
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DispatcherMain()).execute(args));
  }
}
