package io.shoal.dispatcher;

import io.shoal.common.server.GoDurationConverter;
import io.shoal.common.server.ServerOptions;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.server.tls.CannotStartException;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.server.tls.TlsOptions;
import io.shoal.common.store.EtcdOptions;
import io.shoal.common.store.StoreConfig;
import io.shoal.common.store.Writer;
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
  @Spec CommandSpec spec;

  @Option(names = "--heartbeat-period", defaultValue = "2s", converter = GoDurationConverter.class,
      description = "How often agents heartbeat; a node is DOWN after three missed periods (default: ${DEFAULT-VALUE}).")
  Duration heartbeatPeriod;

  @Override
  public Integer call() throws InterruptedException {
    DispatcherConfig config;
    ServiceTls tls;
    Dispatcher dispatcher;
    try {
      config = config(Optional.ofNullable(tlsOptions.certDir));
      tls = tlsOptions.tls();
      dispatcher = DaggerDispatcherComponent.builder()
          .configModule(new ConfigModule(config, tls))
          .build()
          .dispatcher();
    } catch (CannotStartException | IllegalArgumentException e) {
      return ServiceMain.refuse(spec, "shoal-dispatcher", e.getMessage());
    }
    ServiceMain.run("dispatcher", dispatcher, dispatcher::start);
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
        heartbeatPeriod, AgentSession.STALL_TIMEOUT);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DispatcherMain()).execute(args));
  }
}
