package io.shoal.agent.exec;

import io.shoal.common.registry.ImageReference;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a task's {@link ContainerConfig}: pure, no engine involved. */
public final class ContainerConfigs {
  /** The node that owns the container; the agent manages only containers carrying its id. */
  public static final String LABEL_NODE_ID = "io.shoal.node.id";
  public static final String LABEL_TASK_ID = "io.shoal.task.id";
  public static final String LABEL_SERVICE_ID = "io.shoal.service.id";
  public static final String LABEL_SERVICE_NAME = "io.shoal.service.name";
  public static final String LABEL_SLOT = "io.shoal.slot";
  /** Swarm's default {@code --stop-grace-period}. */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

  private ContainerConfigs() {}

  /**
   * The container for {@code task} on the node {@code nodeId} whose published ports bind on
   * {@code nodeAddr}. Ingress ports take a host port chosen by the engine (the mesh-proxy serves
   * the published port); host-mode ports bind their published port (0: the engine picks).
   */
  public static ContainerConfig forTask(Task task, String nodeId, String nodeAddr) {
    return forTask(task, nodeId, nodeAddr, TaskNetworks.Joining.NONE);
  }

  /** As above, joining the networks {@code joining} names (see {@link TaskNetworks}). */
  public static ContainerConfig forTask(Task task, String nodeId, String nodeAddr, TaskNetworks.Joining joining) {
    return forTask(task, nodeId, nodeAddr, joining, List.of());
  }

  /** As above, with the files of its secrets and configs bound in (see {@link TaskFiles}). */
  public static ContainerConfig forTask(Task task, String nodeId, String nodeAddr, TaskNetworks.Joining joining,
      List<ContainerConfig.FileMount> files) {
    return forTask(task, nodeId, "", nodeAddr, joining, files);
  }

  /** As above on the node named {@code nodeHostname} (for a --hostname template's {{.Node.Hostname}}). */
  public static ContainerConfig forTask(Task task, String nodeId, String nodeHostname, String nodeAddr,
      TaskNetworks.Joining joining, List<ContainerConfig.FileMount> files) {
    ContainerSpec spec = task.getSpec().getContainer();
    // The spec's --container-label first: the agent's own io.shoal.* labels are not theirs to set.
    Map<String, String> labels = new LinkedHashMap<>(spec.getLabelsMap());
    labels.put(LABEL_NODE_ID, nodeId);
    labels.put(LABEL_TASK_ID, task.getId());
    labels.put(LABEL_SERVICE_ID, task.getServiceId());
    labels.put(LABEL_SERVICE_NAME, serviceName(task));
    labels.put(LABEL_SLOT, Long.toUnsignedString(task.getSlot()));

    List<ContainerConfig.PortPublication> ports = new ArrayList<>();
    for (PortConfig port : task.getSpec().getEndpoint().getPortsList()) {
      int hostPort = port.getPublishMode() == PublishMode.PUBLISH_MODE_HOST ? port.getPublishedPort() : 0;
      ports.add(new ContainerConfig.PortPublication(
          protocol(port.getProtocol()), port.getTargetPort(), nodeAddr, hostPort));
    }
    return new ContainerConfig(
        containerName(task),
        ImageReference.parse(spec.getImage(), "ContainerSpec.image"),
        spec.getArgsList(),
        env(spec.getEnvList()),
        spec.getWorkdir(),
        spec.getUser(),
        spec.getInit(),
        labels,
        stopGracePeriod(spec),
        ports,
        task.getSpec().getResources().getLimits().getNanoCpus(),
        task.getSpec().getResources().getLimits().getMemoryBytes(),
        joining.endpoints(),
        TaskContainerOptions.nameservers(joining.dns(), spec),
        files,
        TaskContainerOptions.forTask(task, serviceName(task), nodeId, nodeHostname));
  }

  /** {@code <service_name>.<slot>.<task_id>}, as Swarm names task containers. */
  public static String containerName(Task task) {
    return serviceName(task) + "." + Long.toUnsignedString(task.getSlot()) + "." + task.getId();
  }

  public static Duration stopGracePeriod(ContainerSpec spec) {
    if (!spec.hasStopGracePeriod()) {
      return DEFAULT_STOP_GRACE;
    }
    Duration grace = Duration.ofSeconds(
        spec.getStopGracePeriod().getSeconds(), spec.getStopGracePeriod().getNanos());
    return grace.isNegative() ? Duration.ZERO : grace;
  }

  public static ContainerConfig.Protocol protocol(io.shoal.api.v1.Protocol protocol) {
    return protocol == io.shoal.api.v1.Protocol.PROTOCOL_UDP
        ? ContainerConfig.Protocol.UDP
        : ContainerConfig.Protocol.TCP;
  }

  /** One entry per key, at the place of its first occurrence, with its last value. */
  static List<String> env(List<String> env) {
    Map<String, String> byKey = new LinkedHashMap<>();
    for (String entry : env) {
      int eq = entry.indexOf('=');
      String key = eq < 0 ? entry : entry.substring(0, eq);
      byKey.put(key, entry);
    }
    return List.copyOf(byKey.values());
  }

  private static String serviceName(Task task) {
    if (!task.getServiceName().isEmpty()) {
      return task.getServiceName();
    }
    return task.getSpec().getName().isEmpty() ? "task" : task.getSpec().getName();
  }
}
