package io.shoal.scheduler.network;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.Endpoint;
import io.shoal.api.v1.EndpointMode;
import io.shoal.api.v1.EndpointVirtualIp;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.NetworkAttachment;
import io.shoal.api.v1.NetworkAttachmentConfig;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.task.TaskStates;
import io.shoal.scheduler.ClusterView;
import io.shoal.scheduler.Plan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Gives every service a virtual IP on each of its networks (endpoint mode vip; none in dnsrr) and every task
 * waiting for a node an address on each network of its spec, before placement. A task that cannot
 * have all its addresses keeps none and stays PENDING with the reason, in Swarm's words ("no IP
 * address available on network NAME"); the placer leaves it alone until it has them
 * ({@link #attached}). A task that ended and is not to run again gives its addresses back at once,
 * without waiting for its deletion from the history. A pass starts from the addresses the stored tasks and statuses hold; the
 * scheduler loop claims what this decides in the address index, in the transaction that writes
 * the task or status, and releases them in the one that deletes the task or drops the VIP.
 */
public final class AddressAllocator {
  private final Supplier<Timestamp> clock;

  public AddressAllocator(Supplier<Timestamp> clock) {
    this.clock = clock;
  }

  /** The addresses in use on each network as this pass starts, stray index entries included. */
  public Pools startPass(ClusterView view) {
    Map<String, Optional<AddressPool>> pools = new HashMap<>();
    view.networks().forEach((id, network) -> pools.put(id, pool(network)));
    for (Task t : view.tasks().values()) {
      for (NetworkAttachment a : t.getNetworksList()) {
        a.getAddressesList().forEach(addr -> pools.getOrDefault(a.getNetworkId(), Optional.empty())
            .ifPresent(p -> p.markUsed(addr)));
      }
    }
    for (Service s : view.services().values()) {
      for (EndpointVirtualIp vip : s.getEndpoint().getVirtualIpsList()) {
        pools.getOrDefault(vip.getNetworkId(), Optional.empty()).ifPresent(p -> p.markUsed(vip.getAddr()));
      }
    }
    for (String key : view.strayAddresses()) {
      int slash = key.indexOf('/');
      if (slash > 0) {
        pools.getOrDefault(key.substring(0, slash), Optional.empty()).ifPresent(p -> p.markUsed(key.substring(slash + 1)));
      }
    }
    return new Pools(pools, view.networks());
  }

  private static Optional<AddressPool> pool(Network network) {
    try {
      return Optional.of(new AddressPool(network.getIpam()));
    } catch (IllegalArgumentException e) {
      // Control checks subnets; a hand-edited one that does not parse has no addresses to give.
      return Optional.empty();
    }
  }

  /**
   * Allocates for one service: its virtual IPs (dropping those of networks it left, and all of
   * them in endpoint mode dnsrr), then its tasks that wait for a node. Its tasks wait while a
   * virtual IP is missing.
   */
  public void allocate(Service service, List<Task> tasks, Plan plan, Pools pools) {
    Service current = plan.current(service);
    List<String> networks = hasVirtualIps(current) ? networkIds(current.getSpec().getNetworksList()) : List.of();
    Map<String, EndpointVirtualIp> vips = new LinkedHashMap<>();
    current.getEndpoint().getVirtualIpsList().forEach(v -> vips.put(v.getNetworkId(), v));
    vips.keySet().retainAll(networks);
    String reason = null;
    for (String network : networks) {
      if (!vips.containsKey(network)) {
        Optional<String> addr = pools.allocate(network);
        if (addr.isEmpty()) {
          reason = pools.exhausted(network);
          break;
        }
        vips.put(network, EndpointVirtualIp.newBuilder().setNetworkId(network).setAddr(addr.get()).build());
      }
    }
    Endpoint endpoint = Endpoint.newBuilder().addAllVirtualIps(vips.values()).build();
    if (!endpoint.equals(current.getEndpoint())) {
      plan.updateService(current.toBuilder().setEndpoint(endpoint).build());
    }
    // Lowest slots first, so the tasks a network cannot hold are the ones a scale-down removes.
    List<Task> bySlot = new ArrayList<>(tasks);
    bySlot.sort(Comparator.comparing(Task::getSlot, Long::compareUnsigned).thenComparing(Task::getId));
    for (Task stored : bySlot) {
      Task task = plan.current(stored);
      if (dead(task) && task.getNetworksCount() > 0 && !plan.deletes(task)) {
        // As SwarmKit's allocator frees a dead task's addresses: history must not fill a network.
        plan.update(task.toBuilder().clearNetworks().build());
      } else if (waiting(task) && !attached(task)) {
        if (reason != null) {
          pending(task, reason, plan);
        } else {
          allocate(task, plan, pools);
        }
      }
    }
  }

  private void allocate(Task task, Plan plan, Pools pools) {
    Map<String, NetworkAttachment> have = new LinkedHashMap<>();
    task.getNetworksList().forEach(a -> have.put(a.getNetworkId(), a));
    List<NetworkAttachment> attachments = new ArrayList<>();
    List<NetworkAttachment> taken = new ArrayList<>();
    for (NetworkAttachmentConfig config : distinct(task.getSpec().getNetworksList())) {
      NetworkAttachment a = have.get(config.getTarget());
      if (a == null || a.getAddressesCount() == 0) {
        Optional<String> addr = pools.allocate(config.getTarget());
        if (addr.isEmpty()) {
          taken.forEach(t -> pools.release(t.getNetworkId(), t.getAddresses(0)));
          pending(task, pools.exhausted(config.getTarget()), plan);
          return;
        }
        a = NetworkAttachment.newBuilder().setNetworkId(config.getTarget()).addAddresses(addr.get())
            .addAllAliases(config.getAliasesList()).build();
        taken.add(a);
      }
      attachments.add(a);
    }
    plan.update(task.toBuilder().clearNetworks().addAllNetworks(attachments).build());
  }

  private void pending(Task task, String reason, Plan plan) {
    if (task.getStatus().getState() != TaskState.TASK_STATE_PENDING || !task.getStatus().getErr().equals(reason)) {
      plan.update(task.toBuilder().setStatus(TaskStatus.newBuilder().setTimestamp(clock.get())
          .setState(TaskState.TASK_STATE_PENDING).setMessage("pending task allocation").setErr(reason)).build());
    }
  }

  /** Endpoint mode vip (unspecified reads as vip); a dnsrr service's name answers with its tasks. */
  private static boolean hasVirtualIps(Service service) {
    return service.getSpec().getEndpoint().getMode() != EndpointMode.ENDPOINT_MODE_DNSRR;
  }

  /** Ended and not to be restarted in place: it needs its addresses no more. */
  private static boolean dead(Task task) {
    return task.getDesiredState() != TaskState.TASK_STATE_RUNNING && TaskStates.terminal(task.getStatus().getState());
  }

  /** Wants to run and has no node yet: the tasks that get addresses. */
  private static boolean waiting(Task task) {
    return task.getDesiredState() == TaskState.TASK_STATE_RUNNING && !TaskStates.terminal(task.getStatus().getState())
        && !ClusterView.assigned(task);
  }

  /** Whether {@code task} has an address on every network of its spec (the placer's condition). */
  public static boolean attached(Task task) {
    Set<String> have = new HashSet<>();
    task.getNetworksList().stream().filter(a -> a.getAddressesCount() > 0).forEach(a -> have.add(a.getNetworkId()));
    return task.getSpec().getNetworksList().stream().allMatch(c -> have.contains(c.getTarget()));
  }

  private static List<NetworkAttachmentConfig> distinct(List<NetworkAttachmentConfig> configs) {
    Map<String, NetworkAttachmentConfig> byId = new LinkedHashMap<>();
    configs.forEach(c -> byId.putIfAbsent(c.getTarget(), c));
    return new ArrayList<>(byId.values());
  }

  private static List<String> networkIds(List<NetworkAttachmentConfig> configs) {
    return distinct(configs).stream().map(NetworkAttachmentConfig::getTarget).toList();
  }

  /** The address pools of one pass, by network id. */
  public static final class Pools {
    private final Map<String, Optional<AddressPool>> pools;
    private final Map<String, Network> networks;

    Pools(Map<String, Optional<AddressPool>> pools, Map<String, Network> networks) {
      this.pools = pools;
      this.networks = networks;
    }

    Optional<String> allocate(String networkId) {
      return pools.getOrDefault(networkId, Optional.empty()).flatMap(AddressPool::allocate);
    }

    void release(String networkId, String addr) {
      pools.getOrDefault(networkId, Optional.empty()).ifPresent(p -> p.release(addr));
    }

    /** Why nothing was allocated on {@code networkId}, in Swarm's words when it ran out. */
    String exhausted(String networkId) {
      Network network = networks.get(networkId);
      if (network == null) {
        return "network " + networkId + " not found";
      }
      return "no IP address available on network " + network.getSpec().getName();
    }
  }
}
