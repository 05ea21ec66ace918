package io.shoal.cli.service;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateServiceResponse;
import io.shoal.cli.CliCommand;
import io.shoal.cli.CliException;
import io.shoal.cli.Converters;
import io.shoal.cli.client.ServiceUpdater;
import io.shoal.cli.parse.EnvList;
import io.shoal.cli.parse.PortListEditor;
import io.shoal.cli.parse.PortSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal service update [OPTIONS] SERVICE}: reads the service, applies the flags to its spec
 * and writes it back with the version read ({@link ServiceUpdater} redoes this on a lost race),
 * then waits for convergence.
 */
@Command(
    name = "update",
    description = "Update a service",
    customSynopsis = "shoal service update [OPTIONS] SERVICE",
    mixinStandardHelpOptions = true)
public final class ServiceUpdateCommand extends CliCommand {
  @Option(names = "--image", paramLabel = "IMAGE", description = "Service image")
  String image;

  @Option(
      names = "--env-add",
      paramLabel = "KEY=VALUE",
      description = "Add or replace an environment variable")
  List<String> envAdd = new ArrayList<>();

  @Option(names = "--env-rm", paramLabel = "KEY", description = "Remove an environment variable")
  List<String> envRm = new ArrayList<>();

  @Option(
      names = "--replicas",
      paramLabel = "N",
      converter = Converters.Replicas.class,
      description = "Number of tasks")
  Long replicas;

  @Option(
      names = "--publish-add",
      paramLabel = "PORT",
      converter = Converters.Port.class,
      description = "Add or update a published port (same forms as create's --publish)")
  List<PortConfig> publishAdd = new ArrayList<>();

  @Option(
      names = "--publish-rm",
      paramLabel = "PORT",
      converter = Converters.Port.class,
      description =
          "Remove a published port, by published port (e.g. 8080 or 8080/udp), or by target"
              + " port for a port published without one")
  List<PortConfig> publishRm = new ArrayList<>();

  @Option(
      names = "--args",
      paramLabel = "COMMAND",
      description = "Service command and arguments as one shell-quoted string (\"\" clears them)")
  String argsLine;

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
      names = "--init",
      arity = "0..1",
      paramLabel = "BOOL",
      description = "Use an init inside each task (--init=false to stop)")
  Boolean init;

  @Option(
      names = "--stop-grace-period",
      paramLabel = "DURATION",
      converter = Converters.GoDurationConverter.class,
      description = "Time to wait before force killing a container")
  Duration stopGracePeriod;

  @Option(names = "--force", description = "Force update even if no changes require it")
  boolean force;

  @Mixin ImageResolutionOptions resolution;

  @Mixin PlacementUpdateOptions placement;

  @Mixin ResourceOptions resources;

  @Mixin RestartOptions restart;

  @Mixin UpdateOptions updateConfig;

  @Mixin EndpointOptions endpoint;

  @Mixin NetworkUpdateOptions networks;

  @Mixin FileReferenceUpdateOptions files;

  @Mixin RollbackOptions rollbackConfig;

  @Mixin WaitOptions wait;

  @Mixin ContainerUpdateOptions containerOptions;

  @Mixin HealthcheckOptions healthcheck;

  @Parameters(index = "0", paramLabel = "SERVICE", description = "Service name, id or id prefix")
  String service;

  @Override
  public Integer call() throws InterruptedException {
    List<String> add = Flags.env(spec.commandLine(), "--env-add", envAdd, context().env());
    List<String> args = argsLine == null ? null : Flags.args(spec.commandLine(), argsLine);
    List<PortConfig> unmatched = new ArrayList<>();
    NetworkUpdateOptions.Resolved networkChanges = networks.resolve(control());
    List<String> unmatchedNetworks = new ArrayList<>();
    List<String> unmatchedFiles = new ArrayList<>();
    UpdateServiceResponse response =
        new ServiceUpdater(control())
            .update(
                service,
                current -> {
                  ServiceSpec.Builder changed = change(current, add, args, unmatched).toBuilder();
                  unmatchedNetworks.clear();
                  unmatchedNetworks.addAll(networks.applyTo(changed, networkChanges));
                  unmatchedFiles.clear();
                  unmatchedFiles.addAll(files.applyTo(changed));
                  return changed.build();
                },
                resolution.noResolveImage,
                resolution.registryAuth(
                    () -> image != null
                        ? image
                        : control().getService(service).getSpec().getContainer().getImage(),
                    context().env(),
                    err()),
                image != null);
    for (PortConfig p : unmatched) {
      err().println("shoal: warning: --publish-rm " + PortSpec.format(p) + " matched no port");
    }
    for (String n : unmatchedNetworks) {
      err().println("shoal: warning: --network-rm " + n + ": the service is not on that network");
    }
    for (String f : unmatchedFiles) {
      err().println("shoal: warning: " + f + ": the service does not use it");
    }
    Service updated = response.getService();
    out().println(updated.getSpec().getName());
    out().flush();
    Flags.printWarnings(err(), response.getWarningsList(), List.of());
    if (!wait.detach) {
      awaitConvergence(updated.getId(), updated.getSpec().getName(), wait.timeout, wait.quiet, true);
    }
    return 0;
  }

  /** The flags applied to one read of the service; may run again after a lost race. */
  private ServiceSpec change(
      Service current, List<String> envAddResolved, List<String> args, List<PortConfig> unmatched) {
    // A rollback swaps the specs (as in Swarm), so the spec is what runs: the flags apply to it.
    ServiceSpec.Builder s = current.getSpec().toBuilder();
    ContainerSpec.Builder c = s.getContainerBuilder();
    if (image != null) {
      c.setImage(image);
    }
    if (!envAddResolved.isEmpty() || !envRm.isEmpty()) {
      List<String> env = EnvList.edit(c.getEnvList(), envAddResolved, envRm);
      c.clearEnv().addAllEnv(env);
    }
    if (args != null) {
      c.clearArgs().addAllArgs(args);
    }
    if (workdir != null) {
      c.setWorkdir(workdir);
    }
    if (user != null) {
      c.setUser(user);
    }
    if (init != null) {
      c.setInit(init);
    }
    if (stopGracePeriod != null) {
      c.setStopGracePeriod(Flags.duration(stopGracePeriod));
    }
    if (replicas != null) {
      if (s.hasGlobal()) {
        throw new CliException(
            "--replicas can only be used with replicated mode (service "
                + s.getName()
                + " is global)");
      }
      s.setReplicated(ReplicatedService.newBuilder().setReplicas(replicas));
    }
    if (!publishAdd.isEmpty() || !publishRm.isEmpty()) {
      PortListEditor.Result ports =
          PortListEditor.edit(s.getEndpoint().getPortsList(), publishAdd, publishRm);
      s.getEndpointBuilder().clearPorts().addAllPorts(ports.ports());
      unmatched.clear();
      unmatched.addAll(ports.unmatchedRemovals());
    }
    if (force) {
      s.setForceUpdate(s.getForceUpdate() + 1);
    }
    restart.applyTo(s);
    placement.applyTo(s);
    resources.applyTo(s);
    updateConfig.applyTo(s);
    endpoint.applyTo(s);
    rollbackConfig.applyTo(s);
    containerOptions.applyTo(s, spec.commandLine());
    healthcheck.applyTo(s, spec.commandLine());
    return s.build();
  }
}
