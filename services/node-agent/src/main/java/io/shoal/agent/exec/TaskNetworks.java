package io.shoal.agent.exec;

import io.shoal.api.v1.Task;
import java.util.List;

/**
 * What a task's container needs from the node's networks (implemented by
 * {@code io.shoal.agent.overlay}): the networks made ready on this host before the container is
 * created, and the container's own rules once it runs.
 */
public interface TaskNetworks {
  /** For nodes that carry no networks (and tests of the engine alone). */
  TaskNetworks NONE = new TaskNetworks() {
    @Override
    public Joining prepare(Task task) {
      return Joining.NONE;
    }

    @Override
    public void started(Task task, String containerId) {}
  };

  /**
   * Makes every network of {@code task} ready on this host and says how its container joins
   * them. Blocks until they are; throws with the reason when one cannot be (the task is
   * rejected and the scheduler places it again).
   */
  Joining prepare(Task task);

  /**
   * The task's container {@code containerId} has started: its network rules (the virtual IPs
   * it reaches) are put in place before the task is reported RUNNING. Throws when they cannot be.
   */
  void started(Task task, String containerId);

  /**
   * How a container joins its networks.
   *
   * @param endpoints one per network of the task, in the task's order
   * @param dns the DNS servers the container asks (the node's resolver for task names)
   */
  record Joining(List<ContainerConfig.NetworkEndpoint> endpoints, List<String> dns) {
    public static final Joining NONE = new Joining(List.of(), List.of());

    public Joining {
      endpoints = List.copyOf(endpoints);
      dns = List.copyOf(dns);
    }
  }
}
