package io.shoal.agent.exec;

import io.shoal.common.registry.ImageReference;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the engine needs to create a task's container, in engine-neutral terms. Built from
 * a task by {@link ContainerConfigs#forTask}; turned into an engine call by the adapter.
 *
 * @param name the container name, {@code <service_name>.<slot>.<task_id>}
 * @param image the image, as the engine should run it (see {@link ImageReference#forEngine()})
 * @param cmd the words that replace the image's CMD; empty keeps the image's
 * @param env {@code KEY=VALUE}, one per key, in order
 * @param workdir empty keeps the image's
 * @param user empty keeps the image's
 * @param init run an init as PID 1 (Docker's {@code --init})
 * @param labels the container's labels, {@code io.shoal.*}
 * @param stopGracePeriod between SIGTERM and SIGKILL
 * @param ports published ports
 * @param nanoCpus CPU limit in 1e-9 CPUs (--limit-cpu); 0: none
 * @param memoryBytes memory limit (--limit-memory); 0: none
 * @param networks the networks the container joins, the first at create and the others before
 *     it starts; empty: the engine's default network
 * @param dns the DNS servers of the container; empty keeps the engine's
 * @param files host files bound read-only into the container (its secrets and configs)
 * @param options the rest of the spec's container options (mounts, hostname, capabilities...)
 */
public record ContainerConfig(
    String name,
    ImageReference image,
    List<String> cmd,
    List<String> env,
    String workdir,
    String user,
    boolean init,
    Map<String, String> labels,
    Duration stopGracePeriod,
    List<PortPublication> ports,
    long nanoCpus,
    long memoryBytes,
    List<NetworkEndpoint> networks,
    List<String> dns,
    List<FileMount> files,
    ContainerOptions options) {

  /** A container with no options beyond these (see {@link ContainerOptions#NONE}). */
  public ContainerConfig(String name, ImageReference image, List<String> cmd, List<String> env, String workdir,
      String user, boolean init, Map<String, String> labels, Duration stopGracePeriod, List<PortPublication> ports,
      long nanoCpus, long memoryBytes, List<NetworkEndpoint> networks, List<String> dns, List<FileMount> files) {
    this(name, image, cmd, env, workdir, user, init, labels, stopGracePeriod, ports, nanoCpus, memoryBytes,
        networks, dns, files, ContainerOptions.NONE);
  }

  public ContainerConfig {
    cmd = List.copyOf(cmd);
    env = List.copyOf(env);
    labels = Map.copyOf(labels);
    ports = List.copyOf(ports);
    networks = List.copyOf(networks);
    dns = List.copyOf(dns);
    files = List.copyOf(files);
  }

  /**
   * A host file bound read-only at {@code target} in the container.
   *
   * @param source the file's absolute path on the host (in the task's tmpfs)
   * @param target its absolute path in the container
   */
  public record FileMount(String source, String target) {}

  /**
   * The container's place on one engine network.
   *
   * @param network the engine's network name
   * @param ipv4 the container's address on it, no prefix
   * @param mac its MAC address there, fixed so other hosts can be told it in advance
   */
  public record NetworkEndpoint(String network, String ipv4, String mac) {}

  /** Transport protocol of a published port. */
  public enum Protocol {
    TCP,
    UDP;

    public String lower() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One published port.
   *
   * @param hostIp the node's address the port is bound on
   * @param hostPort the host port, 0 for one chosen by the engine
   */
  public record PortPublication(Protocol protocol, int targetPort, String hostIp, int hostPort) {}
}
