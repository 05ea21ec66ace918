package io.shoal.dispatcher;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import io.shoal.common.server.EtcdOptions;
import io.shoal.common.server.GoDuration;
import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.ServerOptions;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.telemetry.Telemetry;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.time.Clock;
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

  @Option(names = "--heartbeat-period", defaultValue = "2s", converter = GoDuration.class,
      description = "How often agents heartbeat; a node is DOWN after three missed periods (default: ${DEFAULT-VALUE}).")
  Duration heartbeatPeriod;

  @Module
  static final class DispatcherModule {
    @Provides
    @Singleton
    static EtcdStore store(DispatcherMain flags) {
      return EtcdStore.connect(flags.etcd.endpoints, flags.etcd.prefix);
    }

    @Provides
    @Named("heartbeatPeriod")
    static Duration heartbeatPeriod(DispatcherMain flags) {
      return flags.heartbeatPeriod;
    }

    @Provides
    @Named("dispatcherName")
    static String name(DispatcherMain flags) {
      InetSocketAddress first = flags.listenAddresses().get(0);
      return first.getHostString() + ":" + first.getPort();
    }

    @Provides
    static Clock clock() {
      return Clock.systemUTC();
    }
  }

  @Singleton
  @Component(modules = DispatcherModule.class)
  interface DispatcherComponent {
    DispatcherGrpcService grpcService();

    SessionManager sessions();

    TaskStatusWriter statusWriter();

    EtcdStore store();

    @Component.Factory
    interface Factory {
      DispatcherComponent create(@BindsInstance DispatcherMain flags, @BindsInstance Telemetry telemetry);
    }
  }

  List<InetSocketAddress> listenAddresses() {
    return server.listenAddresses("127.0.0.1:7403");
  }

  @Override
  public Integer call() throws Exception {
    var addresses = listenAddresses();
    Telemetry telemetry = Telemetry.start("shoal-dispatcher", addresses.get(0).getHostString(),
        server.metricsPort == null ? 9403 : server.metricsPort);
    DispatcherComponent c = DaggerDispatcherMain_DispatcherComponent.factory().create(this, telemetry);
    c.sessions().start();
    GrpcServer grpc = GrpcServer.start("dispatcher", addresses, List.of(c.grpcService()), telemetry);
    ServiceMain.runUntilStopped("dispatcher", telemetry, c.store(), c.statusWriter(), c.sessions(), grpc);
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DispatcherMain()).execute(args));
  }
}
