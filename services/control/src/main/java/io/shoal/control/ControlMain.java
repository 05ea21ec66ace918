package io.shoal.control;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.shoal.common.server.EtcdOptions;
import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.ServerOptions;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.telemetry.Telemetry;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The control service: Shoal's user-facing API (shoal.v1.ControlService). */
@Command(name = "shoal-control", mixinStandardHelpOptions = true,
    description = "Serves shoal.v1.ControlService: validates and stores services in etcd;"
        + " completes the scheduler's automatic rollbacks.")
public final class ControlMain implements Callable<Integer> {
  @Mixin ServerOptions server = new ServerOptions();
  @Mixin EtcdOptions etcd = new EtcdOptions();

  @Option(names = "--registry", defaultValue = "${env:SHOAL_REGISTRY_SERVICE:-127.0.0.1:7401}",
      description = "host:port of the registry service (default: ${DEFAULT-VALUE}).")
  String registry;

  @Module
  static final class ControlModule {
    @Provides
    @Singleton
    static EtcdStore store(ControlMain flags) {
      return EtcdStore.connect(flags.etcd.endpoints, flags.etcd.prefix);
    }

    @Provides
    @Singleton
    static ManagedChannel registryChannel(ControlMain flags, Telemetry telemetry) {
      var address = ServerOptions.parseHostPort(flags.registry);
      NettyChannelBuilder builder =
          NettyChannelBuilder.forAddress(address.getHostString(), address.getPort()).usePlaintext()
              .maxInboundMessageSize(GrpcServer.MAX_INBOUND_BYTES); // its answers are a digest or a sealed login
      telemetry.instrument(builder);
      return builder.build();
    }

    @Provides
    @Named("registry")
    static Channel registry(ManagedChannel channel) {
      return channel;
    }

    @Provides
    static Clock clock() {
      return Clock.systemUTC();
    }
  }

  @Singleton
  @Component(modules = ControlModule.class)
  interface ControlComponent {
    ControlGrpcService grpcService();

    RollbackSwapWatcher rollbackSwapWatcher();

    EtcdStore store();

    ManagedChannel registryChannel();

    @Component.Factory
    interface Factory {
      ControlComponent create(@BindsInstance ControlMain flags, @BindsInstance Telemetry telemetry);
    }
  }

  @Override
  public Integer call() throws Exception {
    var addresses = server.listenAddresses("127.0.0.1:7400");
    Telemetry telemetry = Telemetry.start("shoal-control", addresses.get(0).getHostString(),
        server.metricsPort == null ? 9400 : server.metricsPort);
    ControlComponent c = DaggerControlMain_ControlComponent.factory().create(this, telemetry);
    GrpcServer grpc = GrpcServer.start("control", addresses, List.of(c.grpcService()), telemetry);
    // Completes the scheduler's automatic rollbacks (only control writes a spec).
    RollbackSwapWatcher rollbacks = c.rollbackSwapWatcher().start();
    ServiceMain.runUntilStopped("control", telemetry, c.store(), c.registryChannel()::shutdownNow, grpc, rollbacks);
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ControlMain()).execute(args));
  }
}
