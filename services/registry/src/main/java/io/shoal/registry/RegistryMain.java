package io.shoal.registry;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import io.shoal.common.server.GoDuration;
import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.ServerOptions;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.telemetry.Telemetry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.inject.Singleton;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The registry service: resolves image references against registries' HTTP API v2. */
@Command(name = "shoal-registry", mixinStandardHelpOptions = true,
    description = "Resolves image tags to digests for Shoal (gRPC shoal.v1.RegistryService).")
public final class RegistryMain implements Callable<Integer> {
  @Mixin ServerOptions server = new ServerOptions();

  @Option(names = "--insecure-registry", split = ",",
      description = "Registries (host:port) spoken to over plain HTTP; loopback ones always are.")
  List<String> insecureRegistries = List.of();

  @Option(names = "--registry-timeout", defaultValue = "5s",
      description = "How long to wait for a registry (default: ${DEFAULT-VALUE}).", converter = GoDuration.class)
  Duration timeout;

  @Module
  static final class RegistryModule {
    @Provides
    @Singleton
    static ManifestResolver manifests(RegistryMain flags) {
      return new ManifestResolver(Set.copyOf(flags.insecureRegistries), flags.timeout);
    }
  }

  @Singleton
  @Component(modules = RegistryModule.class)
  interface RegistryComponent {
    RegistryGrpcService grpcService();

    @Component.Factory
    interface Factory {
      RegistryComponent create(@BindsInstance RegistryMain flags);
    }
  }

  @Override
  public Integer call() throws Exception {
    String listen = server.listen == null ? "127.0.0.1:7401" : server.listen;
    var address = ServerOptions.parseHostPort(listen);
    int metricsPort = server.metricsPort == null ? 9401 : server.metricsPort;
    Telemetry telemetry = Telemetry.start("shoal-registry", address.getHostString(), metricsPort);
    RegistryComponent component = DaggerRegistryMain_RegistryComponent.factory().create(this);
    GrpcServer grpc = GrpcServer.start("registry", address, List.of(component.grpcService()), telemetry);
    ServiceMain.runUntilStopped("registry", telemetry, grpc);
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RegistryMain()).execute(args));
  }
}
