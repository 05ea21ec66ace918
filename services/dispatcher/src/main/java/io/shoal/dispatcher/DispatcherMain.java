package io.shoal.dispatcher;

import io.shoal.common.server.GoDurationConverter;
import io.shoal.common.server.ServerOptions;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.store.EtcdOptions;
import io.shoal.common.store.StoreConfig;
import io.shoal.common.store.Writer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The dispatcher: serves node agents' sessions (shoal.v1.DispatcherService). */
@Command(name = "shoal-dispatcher", mixinStandardHelpOptions = true,
    description = "Serves node agents: registration, heartbeats, assignments, task status.")
public final class DispatcherMain implements Callable<Integer> {
  @Mixin ServerOptions server = new ServerOptions();
  @Mixin EtcdOptions etcd = new EtcdOptions();

  @Option(names = "--heartbeat-period", defaultValue = "2s", converter = GoDurationConverter.class,
      description = "How often agents heartbeat; a node is DOWN after three missed periods (default: ${DEFAULT-VALUE}).")
  Duration heartbeatPeriod;

  @Override
  public Integer call() throws InterruptedException {
    Dispatcher dispatcher = DaggerDispatcherComponent.builder()
        .configModule(new ConfigModule(config()))
        .build()
        .dispatcher();
    ServiceMain.run("dispatcher", dispatcher, dispatcher::start);
    return 0;
  }

  DispatcherConfig config() {
    List<InetSocketAddress> listen = server.listenAddresses("127.0.0.1:7403");
    InetSocketAddress first = listen.get(0);
    return new DispatcherConfig(listen, server.metricsPort == null ? 9403 : server.metricsPort,
        new StoreConfig(etcd.endpoints, etcd.prefix, Writer.DISPATCHER), first.getHostString() + ":" + first.getPort(),
        heartbeatPeriod, AgentSession.STALL_TIMEOUT);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DispatcherMain()).execute(args));
  }
}
