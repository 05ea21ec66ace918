package io.shoal.cli.service;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.CreateServiceResponse;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.GlobalService;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.CliCommand;
import io.shoal.cli.Converters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal service create [OPTIONS] IMAGE [COMMAND] [ARG...]}: builds a ServiceSpec from
 * Docker's flags, calls CreateService, prints the id and waits for convergence.
 */
@Command(
    name = "create",
    description = "Create a new service",
    customSynopsis = "shoal service create [OPTIONS] IMAGE [COMMAND] [ARG...]",
    mixinStandardHelpOptions = true)
public final class ServiceCreateCommand extends CliCommand {
  @Option(names = "--name", description = "Service name (default: a random one, adjective_surname, as Docker gives)")
  String name;

  @Option(
      names = "--replicas",
      paramLabel = "N",
      converter = Converters.Replicas.class,
      description = "Number of tasks (default 1)")
  Long replicas;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      converter = ServiceMode.Converter.class,
      description = "Service mode: replicated or global (default replicated)")
  ServiceMode mode = ServiceMode.REPLICATED;

  @Option(
      names = {"-p", "--publish"},
      paramLabel = "PORT",
      converter = Converters.Port.class,
      description =
          "Publish a port: 8080:80, 8080:80/udp, 80, or"
              + " published=8080,target=80,protocol=tcp|udp,mode=ingress|host"
              + "[,proxy-protocol=v1|v2] (udp: v2 only)")
  List<PortConfig> publish = new ArrayList<>();

  @Option(
      names = {"-e", "--env"},
      paramLabel = "KEY=VALUE",
      description = "Set an environment variable (KEY alone takes it from this environment)")
  List<String> env = new ArrayList<>();

  @Option(
      names = {"-w", "--workdir"},
      paramLabel = "DIR",
      description = "Working directory inside the container")
  String workdir;

  @Option(
      names = {"-u", "--user"},
      paramLabel = "USER",
      description = "Username or UID (format: <name|uid>[:<group|gid>])")
  String user;

  @Option(
      names = "--args",
      paramLabel = "COMMAND",
      description =
          "Command and arguments as one shell-quoted string (instead of words after IMAGE)")
  String argsLine;

  @Option(
      names = "--init",
      description = "Run an init inside each task that forwards signals and reaps processes")
  boolean init;

  @Option(
      names = "--stop-grace-period",
      paramLabel = "DURATION",
      converter = Converters.GoDurationConverter.class,
      description = "Time to wait before force killing a container (e.g. 10s, 1m30s)")
  Duration stopGracePeriod;

  @Option(
      names = {"-l", "--label"},
      paramLabel = "KEY=VALUE",
      description = "Service label")
  List<String> labels = new ArrayList<>();

  @Mixin ImageResolutionOptions resolution;

  @Mixin PlacementOptions placement;

  @Mixin ResourceOptions resources;

  @Mixin RestartOptions restart;

  @Mixin HealthcheckOptions healthcheck;

  @Mixin UpdateOptions updateConfig;

  @Mixin EndpointOptions endpoint;

  @Mixin NetworkOptions networks;

  @Mixin FileReferenceOptions files;

  @Mixin RollbackOptions rollbackConfig;

  @Mixin WaitOptions wait;

  @Mixin ContainerOptions containerOptions;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "Image reference")
  String image;

  @Parameters(index = "1..*", paramLabel = "ARG", description = "Command and arguments")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    ServiceSpec spec = buildSpec();
    CreateServiceResponse response =
        control()
            .createService(
                spec,
                resolution.noResolveImage,
                resolution.registryAuth(() -> image, context().env(), err()));
    Service service = response.getService();
    out().println(service.getId());
    out().flush();
    Flags.printWarnings(err(), response.getWarningsList(), service.getWarningsList());
    if (!wait.detach) {
      awaitConvergence(service.getId(), service.getSpec().getName(), wait.timeout, wait.quiet);
    }
    return 0;
  }

  /**
   * The spec {@code service create ARGS} would send, read by the same flags (stack deploy says
   * each compose service so): a fresh command tree over {@code context}, so the caller's own
   * options are left as they are.
   *
   * @throws picocli.CommandLine.ParameterException naming the flag and what is wrong with it
   */
  public static ServiceSpec specOf(io.shoal.cli.CliContext context, List<String> args) {
    picocli.CommandLine root = io.shoal.cli.ShoalCli.commandLine(new io.shoal.cli.ShoalCli(context));
    List<String> line = new ArrayList<>(List.of("service", "create"));
    line.addAll(args);
    picocli.CommandLine.ParseResult parsed = root.parseArgs(line.toArray(String[]::new));
    ServiceCreateCommand create =
        (ServiceCreateCommand) parsed.subcommand().subcommand().commandSpec().userObject();
    return create.buildSpec();
  }

  ServiceSpec buildSpec() {
    if (argsLine != null && !args.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "--args and a command after the image cannot be used together");
    }
    ContainerSpec.Builder container =
        ContainerSpec.newBuilder()
            .setImage(image)
            .addAllArgs(argsLine != null ? Flags.args(spec.commandLine(), argsLine) : args)
            .addAllEnv(Flags.env(spec.commandLine(), "--env", env, context().env()))
            .setInit(init);
    if (workdir != null) {
      container.setWorkdir(workdir);
    }
    if (user != null) {
      container.setUser(user);
    }
    if (stopGracePeriod != null) {
      container.setStopGracePeriod(Flags.duration(stopGracePeriod));
    }
    ServiceSpec.Builder service =
        ServiceSpec.newBuilder()
            .setContainer(container)
            .putAllLabels(Flags.labels(spec.commandLine(), "--label", labels));
    if (name != null) {
      service.setName(name);
    }
    if (mode == ServiceMode.GLOBAL) {
      if (replicas != null) {
        throw new ParameterException(
            spec.commandLine(), "--replicas can only be used with replicated mode");
      }
      service.setGlobal(GlobalService.getDefaultInstance());
    } else {
      service.setReplicated(
          ReplicatedService.newBuilder().setReplicas(replicas == null ? 1 : replicas));
    }
    if (!publish.isEmpty()) {
      service.setEndpoint(EndpointSpec.newBuilder().addAllPorts(publish));
    }
    restart.applyTo(service);
    healthcheck.applyTo(service, spec.commandLine());
    placement.applyTo(service);
    resources.applyTo(service);
    updateConfig.applyTo(service);
    endpoint.applyTo(service);
    networks.applyTo(service);
    files.applyTo(service);
    rollbackConfig.applyTo(service);
    containerOptions.applyTo(service, spec.commandLine(), context());
    return service.build();
  }
}
