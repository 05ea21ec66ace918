package io.shoal.agent.overlay;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The container engine's networks, as far as the overlay needs them (dockerd's bridge driver). */
public interface EngineNetworks {

  /**
   * Creates the engine's bridge network for a Shoal network, unless one of that name exists.
   *
   * @param name the engine network's name ({@code shoal-<network id>})
   * @param networkId the Shoal network's id, kept in a label
   * @param subnet CIDR
   * @param gateway the bridge's own address in it
   * @param bridge the Linux bridge's name
   * @param mtu the bridge's MTU: the host's minus the VXLAN header
   * @param internal no route out, no masquerading
   */
  void ensure(String name, String networkId, String subnet, String gateway, String bridge, int mtu, boolean internal);

  /** The engine networks the agent made: name → Shoal network id. */
  Map<String, String> list();

  /** Removes the network; false when a container still uses it (try again once it is gone). */
  boolean remove(String name);

  /** The process id of the container's main process while it runs. */
  OptionalInt pid(String containerId);

  /** The running container of {@code taskId} on {@code nodeId}, by its labels. */
  Optional<String> runningContainer(String nodeId, String taskId);
}
