package io.shoal.cli.service;

import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.cli.CliCommand;
import io.shoal.cli.CliException;
import io.shoal.cli.Converters;
import io.shoal.cli.client.ServiceUpdater;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code shoal service scale SERVICE=REPLICAS...}: {@code update --replicas} for several services;
 * scales them all, then waits for each, as Docker does.
 */
@Command(
    name = "scale",
    description = "Scale one or multiple replicated services",
    customSynopsis = "shoal service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]",
    mixinStandardHelpOptions = true)
public final class ServiceScaleCommand extends CliCommand {
  @Mixin WaitOptions wait;

  @Parameters(
      arity = "1..*",
      paramLabel = "SERVICE=REPLICAS",
      description = "Service and its new number of tasks")
  List<String> scales = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    Map<String, Long> wanted = new LinkedHashMap<>();
    for (String s : scales) {
      int eq = s.lastIndexOf('=');
      if (eq <= 0) {
        throw Flags.invalid(
            spec.commandLine(), "SERVICE=REPLICAS", "\"" + s + "\" is not SERVICE=REPLICAS");
      }
      try {
        wanted.put(s.substring(0, eq), new Converters.Replicas().convert(s.substring(eq + 1)));
      } catch (TypeConversionException e) {
        throw Flags.invalid(spec.commandLine(), "SERVICE=REPLICAS", e.getMessage());
      }
    }
    boolean failed = false;
    List<Service> scaled = new ArrayList<>();
    ServiceUpdater updater = new ServiceUpdater(control());
    for (Map.Entry<String, Long> e : wanted.entrySet()) {
      try {
        Service service =
            updater
                .update(
                    e.getKey(),
                    current -> {
                      if (current.getSpec().hasGlobal()) {
                        throw new CliException(
                            "scale can only be used with replicated mode (service "
                                + current.getSpec().getName()
                                + " is global)");
                      }
                      return current.getSpec().toBuilder()
                          .setReplicated(ReplicatedService.newBuilder().setReplicas(e.getValue()))
                          .build();
                    },
                    false)
                .getService();
        out().println(e.getKey() + " scaled to " + e.getValue());
        out().flush();
        scaled.add(service);
      } catch (StatusRuntimeException | CliException ex) {
        reportError(ex);
        failed = true;
      }
    }
    if (!wait.detach) {
      for (Service service : scaled) {
        awaitConvergence(service.getId(), service.getSpec().getName(), wait.timeout, wait.quiet);
      }
    }
    return failed ? 1 : 0;
  }
}
