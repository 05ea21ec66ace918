package io.shoal.cli.service;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.LoadBalancing;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.CliCommand;
import io.shoal.common.time.GoDuration;
import io.shoal.cli.parse.PortSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal service inspect SERVICE...}: a JSON array of the services (protobuf's JSON mapping),
 * or with {@code --pretty} a summary like Docker's. Services that cannot be read are reported on
 * stderr and make the exit code 1; the others are still printed.
 */
@Command(
    name = "inspect",
    description = "Display detailed information on one or more services",
    customSynopsis = "shoal service inspect [OPTIONS] SERVICE [SERVICE...]",
    mixinStandardHelpOptions = true)
public final class ServiceInspectCommand extends CliCommand {
  /** Where values start in {@code --pretty} output. */
  private static final int WIDTH = 18;

  @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE",
      description = "Format output using a custom template: 'json', or a Go template ({{.Spec.Name}})")
  String format;

  @Option(names = "--pretty", description = "Print the information in a human friendly format")
  boolean pretty;

  @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "Service name, id or id prefix")
  List<String> services = new ArrayList<>();

  @Override
  public Integer call() throws InvalidProtocolBufferException {
    return inspect(services, control()::getService, pretty, format, service -> {
      printPretty(out(), service, this::networkName);
      if (HostPortsDisplay.applies(service)) {
        HostPortsDisplay.print(out(), control().listTasks(service.getId()));
      }
    });
  }

  /** A network's name for {@code --pretty}; its id when it can't be read (Docker's too). */
  private String networkName(String id) {
    try {
      return control().getNetwork(id).getSpec().getName();
    } catch (StatusRuntimeException e) {
      return id;
    }
  }

  static void printPretty(PrintWriter out, Service service) {
    printPretty(out, service, id -> id);
  }

  /** As Docker prints it; {@code networkName} names a network of the spec by its id. */
  static void printPretty(PrintWriter out, Service service, UnaryOperator<String> networkName) {
    ServiceSpec spec = service.getSpec();
    ContainerSpec c = spec.getContainer();
    field(out, "", "ID", service.getId());
    field(out, "", "Name", spec.getName());
    if (!spec.getLabelsMap().isEmpty()) {
      out.println("Labels:");
      new TreeMap<>(spec.getLabelsMap()).forEach((k, v) -> out.println(" " + k + "=" + v));
    }
    if (spec.hasGlobal()) {
      field(out, "", "Service Mode", "Global");
    } else {
      field(out, "", "Service Mode", "Replicated");
      field(out, " ", "Replicas", String.valueOf(spec.getReplicated().getReplicas()));
    }
    if (spec.getForceUpdate() != 0) {
      field(out, "", "Force Update", String.valueOf(spec.getForceUpdate()));
    }
    DeployDisplay.printUpdateStatus(out, service, WIDTH);
    if (!service.getReconcileError().isEmpty()) {
      // The scheduler leaves this service as it is until the stored value is fixed.
      field(out, "", "ReconcileError", service.getReconcileError());
    }
    out.println("ContainerSpec:");
    field(out, " ", "Image", c.getImage());
    if (c.getArgsCount() > 0) {
      field(out, " ", "Args", String.join(" ", c.getArgsList()));
    }
    if (c.getEnvCount() > 0) {
      field(out, " ", "Env", String.join("\n" + " ".repeat(WIDTH), c.getEnvList()));
    }
    if (!c.getWorkdir().isEmpty()) {
      field(out, " ", "Dir", c.getWorkdir());
    }
    if (!c.getUser().isEmpty()) {
      field(out, " ", "User", c.getUser());
    }
    if (c.getInit()) {
      field(out, " ", "Init", "true");
    }
    if (c.hasStopGracePeriod()) {
      field(
          out,
          " ",
          "StopGracePeriod",
          GoDuration.format(
              Duration.ofSeconds(
                  c.getStopGracePeriod().getSeconds(), c.getStopGracePeriod().getNanos())));
    }
    ContainerOptionsDisplay.print(out, c, WIDTH);
    // As Docker prints them: names and targets only, never data.
    if (spec.getSecretsCount() > 0) {
      out.println(" Secrets:");
      spec.getSecretsList().forEach(r -> {
        out.println("  Target:\t" + r.getFile().getName());
        out.println("   Source:\t" + r.getSecretName());
      });
    }
    if (spec.getConfigsCount() > 0) {
      out.println(" Configs:");
      spec.getConfigsList().forEach(r -> {
        out.println("  Target:\t" + r.getFile().getName());
        out.println("   Source:\t" + r.getConfigName());
      });
    }
    if (spec.getNetworksCount() > 0) {
      // Docker lists the names on one line.
      out.println("Networks: " + spec.getNetworksList().stream()
          .map(n -> networkName.apply(n.getTarget())).collect(Collectors.joining(" ")));
    }
    field(out, "", "Endpoint Mode", EndpointOptions.name(spec.getEndpoint().getMode()));
    List<PortConfig> ports = spec.getEndpoint().getPortsList();
    // Shown only when not the default, so the output stays as Docker prints it otherwise.
    if (spec.getEndpoint().getLoadBalancing() == LoadBalancing.LOAD_BALANCING_LEAST_CONN) {
      out.println("Endpoint LB:      " + EndpointOptions.name(spec.getEndpoint().getLoadBalancing()));
    }
    if (!ports.isEmpty()) {
      out.println("Ports:");
      for (PortConfig p : ports) {
        out.println(
            " PublishedPort = "
                + (p.getPublishedPort() != 0 ? String.valueOf(p.getPublishedPort()) : "(none)"));
        out.println("  Protocol = " + PortSpec.protocolName(p.getProtocol()));
        out.println("  TargetPort = " + p.getTargetPort());
        out.println("  PublishMode = " + PortSpec.modeName(p.getPublishMode()));
        if (PortSpec.proxyProtocolName(p.getProxyProtocol()) != null) {
          out.println("  ProxyProtocol = " + PortSpec.proxyProtocolName(p.getProxyProtocol()));
        }
      }
    }
    DeployDisplay.printPolicies(out, spec, WIDTH);
    if (service.getWarningsCount() > 0) {
      out.println("Warnings:");
      service.getWarningsList().forEach(w -> out.println(" " + w));
    }
  }

  private static void field(PrintWriter out, String indent, String key, String value) {
    String label = indent + key + ":";
    out.println((label + " ".repeat(Math.max(1, WIDTH - label.length())) + value).stripTrailing());
  }
}
