package io.shoal.dispatcher;

import io.shoal.api.v1.EndpointMode;
import io.shoal.api.v1.EndpointVirtualIp;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.NetworkAttachment;
import io.shoal.api.v1.NetworkAttachmentConfig;
import io.shoal.api.v1.NetworkMap;
import io.shoal.api.v1.NetworkPeer;
import io.shoal.api.v1.NetworkView;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.ServiceEndpoint;
import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.common.task.TaskStates;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Nodes' {@link NetworkMap}s (dispatcher.proto), from one look at the watch cache's tables.
 * Pure: no I/O, and equal tables give equal maps (every list is sorted), so a session can tell
 * a changed map from the one it sent by {@code equals}.
 *
 * <p>The rules:
 * <ul>
 *   <li>A task is <em>live</em> until it has ended (state up to RUNNING), whatever its desired
 *       state: a task desired SHUTDOWN or REMOVE still has its container, on its networks, until
 *       the agent reports it stopped.
 *   <li>A node's networks: those of its live tasks ({@code Task.networks}), by id; a network
 *       missing from {@code networks/} is left out.
 *   <li>Peers: every live task on the network with an address and a node whose registration
 *       names an address (a task on a node not registered yet is left out until it is).
 *   <li>Services: every service with a live task on the network (placed or not, so its name
 *       resolves while its tasks wait). Name, aliases and endpoint mode come from its newest such
 *       task (latest create_time, then highest id); the virtual IP from the scheduler's
 *       {@code service_status/}, whatever version that status is about (as {@code ServiceViews}
 *       reads it), in VIP mode only; task_addresses from its tasks RUNNING and desired RUNNING.
 *   <li>Order: networks by id, peers by task id, services by name then id, task addresses by
 *       slot then task id. Addresses carry no prefix.
 * </ul>
 *
 * <p>One instance serves one push round: the first map indexes the live tasks with networks (one
 * pass over the task table) and each network's view is built once, then shared by every node
 * that holds it. Not thread-safe.
 */
final class NetworkMaps {
  private static final Comparator<Task> NEWEST = Comparator
      .comparingLong((Task t) -> t.getCreateTime().getSeconds())
      .thenComparingInt(t -> t.getCreateTime().getNanos())
      .thenComparing(Task::getId);
  private static final Comparator<Task> BY_SLOT =
      Comparator.comparing(Task::getSlot, Long::compareUnsigned).thenComparing(Task::getId);

  private final Map<String, Task> tasks;
  private final Map<String, Network> networks;
  private final Map<String, ServiceStatus> statuses;
  private final Map<String, NodeRegistration> nodes;
  /** Network id → its live tasks; node id → the ids of its live tasks' networks. Built on first use. */
  private Map<String, List<Task>> tasksByNetwork;
  private Map<String, Set<String>> networksByNode;
  private final Map<String, Optional<NetworkView>> views = new HashMap<>();

  /** Over the tables {@code tasks/}, {@code networks/}, {@code service_status/}, {@code node_registrations/}. */
  NetworkMaps(Map<String, Task> tasks, Map<String, Network> networks, Map<String, ServiceStatus> statuses,
      Map<String, NodeRegistration> nodes) {
    this.tasks = tasks;
    this.networks = networks;
    this.statuses = statuses;
    this.nodes = nodes;
  }

  /** What {@code nodeId} should know of its tasks' networks; empty when they are on none. */
  NetworkMap forNode(String nodeId) {
    if (networks.isEmpty()) {
      // No network, no view: a cluster without overlays skips the pass over its tasks.
      return NetworkMap.getDefaultInstance();
    }
    index();
    NetworkMap.Builder map = NetworkMap.newBuilder();
    for (String networkId : networksByNode.getOrDefault(nodeId, Set.of())) {
      views.computeIfAbsent(networkId, this::view).ifPresent(map::addNetworks);
    }
    return map.build();
  }

  /** Not ended: up to RUNNING (a state this build does not know counts as live, as in TaskStates). */
  static boolean live(Task task) {
    return !TaskStates.terminal(task.getStatus().getState());
  }

  /** Serves connections: RUNNING and still desired RUNNING. */
  static boolean serving(Task task) {
    return task.getStatus().getState() == TaskState.TASK_STATE_RUNNING
        && task.getDesiredState() == TaskState.TASK_STATE_RUNNING;
  }

  /** "10.0.1.5/24" → "10.0.1.5". */
  static String withoutPrefix(String address) {
    int slash = address.indexOf('/');
    return slash < 0 ? address : address.substring(0, slash);
  }

  private void index() {
    if (tasksByNetwork != null) {
      return;
    }
    tasksByNetwork = new HashMap<>();
    networksByNode = new HashMap<>();
    for (Task task : tasks.values()) {
      if (task.getNetworksCount() == 0 || !live(task)) {
        continue;
      }
      for (NetworkAttachment attachment : task.getNetworksList()) {
        tasksByNetwork.computeIfAbsent(attachment.getNetworkId(), k -> new ArrayList<>()).add(task);
        if (!task.getNodeId().isEmpty()) {
          networksByNode.computeIfAbsent(task.getNodeId(), k -> new TreeSet<>()).add(attachment.getNetworkId());
        }
      }
    }
  }

  private Optional<NetworkView> view(String networkId) {
    Network network = networks.get(networkId);
    if (network == null) {
      return Optional.empty();
    }
    NetworkView.Builder view = NetworkView.newBuilder().setNetworkId(networkId).setName(network.getSpec().getName())
        .setSubnet(network.getIpam().getSubnet()).setGateway(network.getIpam().getGateway())
        .setVxlanId(network.getVxlanId()).setInternal(network.getSpec().getInternal());
    List<Task> onIt = new ArrayList<>(tasksByNetwork.getOrDefault(networkId, List.of()));
    onIt.sort(Comparator.comparing(Task::getId));
    Map<String, List<Task>> byService = new HashMap<>();
    for (Task task : onIt) {
      byService.computeIfAbsent(task.getServiceId(), k -> new ArrayList<>()).add(task);
      Optional<String> address = address(task, networkId);
      String nodeAddr = nodeAddr(task.getNodeId());
      if (address.isPresent() && !nodeAddr.isEmpty()) {
        view.addPeers(NetworkPeer.newBuilder().setTaskId(task.getId()).setAddress(address.get())
            .setNodeAddr(nodeAddr).setNodeId(task.getNodeId()));
      }
    }
    List<ServiceEndpoint> services = new ArrayList<>();
    byService.forEach((serviceId, ofService) -> services.add(endpoint(serviceId, ofService, networkId)));
    // By name, then id: names are unique among services, but a deleted service's tasks may still
    // carry a name a new service took.
    services.sort(Comparator.comparing(ServiceEndpoint::getName).thenComparing(ServiceEndpoint::getServiceId));
    view.addAllServices(services);
    return Optional.of(view.build());
  }

  private ServiceEndpoint endpoint(String serviceId, List<Task> tasksOfService, String networkId) {
    Task newest = tasksOfService.stream().max(NEWEST).orElseThrow();
    String name = newest.getServiceName().isEmpty() ? newest.getSpec().getName() : newest.getServiceName();
    boolean dnsrr = newest.getSpec().getEndpoint().getMode() == EndpointMode.ENDPOINT_MODE_DNSRR;
    ServiceEndpoint.Builder endpoint = ServiceEndpoint.newBuilder().setServiceId(serviceId).setName(name)
        .addAllAliases(aliases(newest, networkId))
        .setMode(dnsrr ? EndpointMode.ENDPOINT_MODE_DNSRR : EndpointMode.ENDPOINT_MODE_VIP);
    if (!dnsrr) {
      endpoint.setVirtualIp(virtualIp(serviceId, networkId));
    }
    tasksOfService.stream().filter(NetworkMaps::serving).sorted(BY_SLOT)
        .forEach(t -> address(t, networkId).ifPresent(endpoint::addTaskAddresses));
    return endpoint.build();
  }

  /** The spec's aliases on the network; the attachment's when the spec names none for it. */
  private static List<String> aliases(Task task, String networkId) {
    for (NetworkAttachmentConfig config : task.getSpec().getNetworksList()) {
      if (config.getTarget().equals(networkId)) {
        return config.getAliasesList();
      }
    }
    for (NetworkAttachment attachment : task.getNetworksList()) {
      if (attachment.getNetworkId().equals(networkId)) {
        return attachment.getAliasesList();
      }
    }
    return List.of();
  }

  private String virtualIp(String serviceId, String networkId) {
    ServiceStatus status = statuses.get(serviceId);
    if (status == null) {
      return "";
    }
    for (EndpointVirtualIp vip : status.getEndpoint().getVirtualIpsList()) {
      if (vip.getNetworkId().equals(networkId)) {
        return withoutPrefix(vip.getAddr());
      }
    }
    return "";
  }

  private static Optional<String> address(Task task, String networkId) {
    for (NetworkAttachment attachment : task.getNetworksList()) {
      if (attachment.getNetworkId().equals(networkId) && attachment.getAddressesCount() > 0) {
        return Optional.of(withoutPrefix(attachment.getAddresses(0)));
      }
    }
    return Optional.empty();
  }

  private String nodeAddr(String nodeId) {
    if (nodeId.isEmpty()) {
      return "";
    }
    NodeRegistration node = nodes.get(nodeId);
    return node == null ? "" : node.getDescription().getAddr();
  }
}
