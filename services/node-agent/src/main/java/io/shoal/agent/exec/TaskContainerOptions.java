package io.shoal.agent.exec;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.Mount;
import io.shoal.api.v1.Task;
import io.shoal.common.spec.HostnameTemplate;
import java.util.List;

/**
 * A task's {@link ContainerOptions} from its ContainerSpec: the hostname template rendered with
 * the task, its service and this node, as Swarm renders it; --host lines turned into the engine's
 * {@code HOSTNAME:IP} form; capabilities without their CAP_ prefix. Pure.
 */
public final class TaskContainerOptions {
  private TaskContainerOptions() {}

  public static ContainerOptions forTask(Task task, String serviceName, String nodeId, String nodeHostname) {
    ContainerSpec c = task.getSpec().getContainer();
    String hostname = c.getHostname().isEmpty() ? ""
        : HostnameTemplate.parse(c.getHostname()).render(HostnameTemplate.Context.of(task.getServiceId(),
            serviceName, task.getSpec().getLabelsMap(), nodeId, nodeHostname, task.getId(), task.getSlot()));
    return new ContainerOptions(
        c.getCommandList(),
        hostname,
        c.getDnsConfig().getSearchList(),
        c.getDnsConfig().getOptionsList(),
        c.getHostsList().stream().flatMap(TaskContainerOptions::extraHosts).toList(),
        c.getMountsList().stream().map(TaskContainerOptions::mount).toList(),
        c.getGroupsList(),
        c.getCapabilityAddList().stream().map(TaskContainerOptions::capability).toList(),
        c.getCapabilityDropList().stream().map(TaskContainerOptions::capability).toList(),
        c.getReadOnly(),
        c.getStopSignal(),
        c.getSysctlsMap(),
        c.getUlimitsList().stream().map(u -> new ContainerOptions.Ulimit(u.getName(), u.getSoft(), u.getHard())).toList(),
        c.getTty(),
        c.getLogDriver().getName(),
        c.getLogDriver().getOptionsMap(),
        c.hasHealthcheck() ? java.util.Optional.of(healthcheck(c.getHealthcheck())) : java.util.Optional.empty());
  }

  private static ContainerOptions.Healthcheck healthcheck(io.shoal.api.v1.HealthConfig h) {
    return new ContainerOptions.Healthcheck(h.getTestList(), duration(h.getInterval()),
        duration(h.getTimeout()), duration(h.getStartPeriod()), h.getRetries());
  }

  private static java.time.Duration duration(com.google.protobuf.Duration d) {
    return java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  /** {@code IP NAME ALIAS...} (hosts(5), as stored) to the engine's {@code NAME:IP}, one per name. */
  static java.util.stream.Stream<String> extraHosts(String line) {
    String[] words = line.strip().split("\\s+");
    return java.util.Arrays.stream(words, 1, words.length).map(name -> name + ":" + words[0]);
  }

  private static String capability(String cap) {
    return cap.startsWith("CAP_") ? cap.substring(4) : cap;
  }

  private static ContainerOptions.Mount mount(Mount m) {
    ContainerOptions.MountType type = switch (m.getType()) {
      case TYPE_VOLUME -> ContainerOptions.MountType.VOLUME;
      case TYPE_TMPFS -> ContainerOptions.MountType.TMPFS;
      default -> ContainerOptions.MountType.BIND;
    };
    Mount.VolumeOptions v = m.getVolumeOptions();
    return new ContainerOptions.Mount(type, m.getSource(), m.getTarget(), m.getReadOnly(),
        m.getBindOptions().getPropagation(), v.getNoCopy(), v.getLabelsMap(), v.getDriver(),
        v.getDriverOptionsMap(), m.getTmpfsOptions().getSizeBytes(), m.getTmpfsOptions().getMode());
  }

  /** The DNS servers of the container: the node's resolver (for task names) first, then --dns. */
  static List<String> nameservers(List<String> nodeResolver, ContainerSpec spec) {
    if (nodeResolver.isEmpty()) {
      return spec.getDnsConfig().getNameserversList();
    }
    return java.util.stream.Stream.concat(nodeResolver.stream(),
        spec.getDnsConfig().getNameserversList().stream()).toList();
  }
}
