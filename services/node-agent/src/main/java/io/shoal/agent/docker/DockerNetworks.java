package io.shoal.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import io.shoal.agent.exec.ContainerConfigs;
import io.shoal.agent.exec.EngineException;
import io.shoal.agent.overlay.EngineNetworks;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/** {@link EngineNetworks} on dockerd: one bridge-driver network per Shoal network. */
@Singleton
public final class DockerNetworks implements EngineNetworks {
  private static final String LABEL_NETWORK_ID = "io.shoal.network.id";

  private final DockerClient docker;

  @Inject
  DockerNetworks(DockerClient docker) {
    this.docker = docker;
  }

  @Override
  public void ensure(String name, String networkId, String subnet, String gateway, String bridge, int mtu,
      boolean internal) {
    if (!find(name).isEmpty()) {
      return;
    }
    try {
      docker.createNetworkCmd()
          .withName(name)
          .withDriver("bridge")
          .withCheckDuplicate(true)
          .withInternal(internal)
          .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet).withGateway(gateway)))
          .withOptions(Map.of(
              "com.docker.network.bridge.name", bridge,
              "com.docker.network.driver.mtu", Integer.toString(mtu)))
          .withLabels(Map.of(LABEL_NETWORK_ID, networkId))
          .exec();
    } catch (ConflictException e) {
      // Made meanwhile by an earlier call that timed out: the same name is the same network.
      if (find(name).isEmpty()) {
        throw new EngineException("create network " + name + ": " + e.getMessage(), e);
      }
    } catch (RuntimeException e) {
      throw new EngineException("create network " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, String> list() {
    Map<String, String> found = new TreeMap<>();
    try {
      for (Network network : docker.listNetworksCmd().withFilter("label", List.of(LABEL_NETWORK_ID)).exec()) {
        found.put(network.getName(), network.getLabels().get(LABEL_NETWORK_ID));
      }
    } catch (RuntimeException e) {
      throw new EngineException("list networks: " + e.getMessage(), e);
    }
    return found;
  }

  @Override
  public boolean remove(String name) {
    try {
      docker.removeNetworkCmd(name).exec();
      return true;
    } catch (NotFoundException e) {
      return true;
    } catch (ConflictException e) {
      return false; // "has active endpoints"
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("active endpoints")) {
        return false;
      }
      throw new EngineException("remove network " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public OptionalInt pid(String containerId) {
    try {
      InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(containerId).exec().getState();
      Long pid = state.getPidLong();
      return Boolean.TRUE.equals(state.getRunning()) && pid != null && pid > 0
          ? OptionalInt.of(pid.intValue()) : OptionalInt.empty();
    } catch (NotFoundException e) {
      return OptionalInt.empty();
    } catch (RuntimeException e) {
      throw new EngineException("inspect container " + containerId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> runningContainer(String nodeId, String taskId) {
    try {
      return docker.listContainersCmd()
          .withLabelFilter(Map.of(ContainerConfigs.LABEL_NODE_ID, nodeId, ContainerConfigs.LABEL_TASK_ID, taskId))
          .exec().stream().map(Container::getId).findFirst();
    } catch (RuntimeException e) {
      throw new EngineException("list containers of task " + taskId + ": " + e.getMessage(), e);
    }
  }

  private List<Network> find(String name) {
    try {
      return docker.listNetworksCmd().withNameFilter(name).exec().stream()
          .filter(n -> n.getName().equals(name)).toList();
    } catch (RuntimeException e) {
      throw new EngineException("list networks: " + e.getMessage(), e);
    }
  }
}
