package io.shoal.agent.overlay;

import io.shoal.agent.LocalNode;
import io.shoal.agent.exec.ContainerConfig;
import io.shoal.agent.exec.TaskNetworks;
import io.shoal.agent.session.NetworkMapSink;
import io.shoal.api.v1.NetworkAttachment;
import io.shoal.api.v1.NetworkMap;
import io.shoal.api.v1.NetworkPeer;
import io.shoal.api.v1.NetworkView;
import io.shoal.api.v1.ServiceEndpoint;
import io.shoal.api.v1.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries this host's part of the overlay networks, from the dispatcher's {@link NetworkMap}:
 * <ul>
 *   <li>per network a task here is on: the engine's bridge network (the tasks' static addresses
 *       and MACs) and a VXLAN device on its bridge holding one forwarding entry per task on
 *       another host ({@link ForwardingEntries});
 *   <li>per running task container: its virtual-IP rules ({@link VipRules});
 *   <li>the names tasks resolve ({@link NameService}), answered on each network's gateway address;
 *   <li>a network no task here uses any more is taken down (engine network, device) once its last
 *       container is gone.
 * </ul>
 * All host changes run on one thread, in order, so no two of them race; callers wait for the
 * part they need ({@link #prepare}, {@link #started}).
 */
public final class OverlayPlane implements TaskNetworks, NetworkMapSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OverlayPlane.class);
  /** How long a task waits for its network to reach this node's map (it comes before the task). */
  static final long NETWORK_WAIT_MILLIS = 10_000;
  /** Longest a caller waits for the overlay thread (host commands time out before). */
  private static final long CALL_TIMEOUT_SECONDS = 60;
  /** A failed pass, or a network still in use, is tried again after this. */
  private static final long RETRY_MILLIS = 1_000;

  private final LocalNode node;
  private final EngineNetworks engine;
  private final VxlanDevices devices;
  private final ContainerRules rules;
  private final NameService names;
  private final int mtu;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "overlay");
    t.setDaemon(true);
    return t;
  });

  // Guarded by this: the last map, by network id.
  private Map<String, NetworkView> views = Map.of();
  private NetworkMap map = NetworkMap.getDefaultInstance();

  // Overlay thread only.
  private final Map<String, LocalNetwork> local = new HashMap<>();
  private final Map<String, TaskContainer> containers = new HashMap<>();
  private boolean listedEngine;
  private boolean retryPending;

  /** The overlay of this host, run with iproute2 and iptables. */
  public static OverlayPlane onHost(LocalNode node, EngineNetworks engine, NameService names, int mtu) {
    return new OverlayPlane(node, engine, new HostCommands(), names, mtu);
  }

  OverlayPlane(LocalNode node, EngineNetworks engine, HostCommands commands, NameService names, int mtu) {
    this.node = node;
    this.engine = engine;
    this.devices = new VxlanDevices(commands);
    this.rules = new ContainerRules(commands);
    this.names = names;
    this.mtu = mtu;
  }

  /** The dispatcher's new map: the host follows it in the background. */
  @Override
  public void update(NetworkMap newMap) {
    Map<String, NetworkView> byId = new LinkedHashMap<>();
    for (NetworkView view : newMap.getNetworksList()) {
      byId.put(view.getNetworkId(), view);
    }
    synchronized (this) {
      map = newMap;
      views = Map.copyOf(byId);
      notifyAll();
    }
    thread.execute(this::reconcile);
  }

  @Override
  public Joining prepare(Task task) {
    if (task.getNetworksCount() == 0) {
      return Joining.NONE;
    }
    List<NetworkView> needed = awaitViews(task);
    return onThread(() -> {
      List<ContainerConfig.NetworkEndpoint> endpoints = new ArrayList<>();
      for (int i = 0; i < needed.size(); i++) {
        NetworkView view = needed.get(i);
        ensureLocal(view);
        String address = OverlayNames.withoutPrefix(task.getNetworks(i).getAddresses(0));
        endpoints.add(new ContainerConfig.NetworkEndpoint(
            OverlayNames.engineNetwork(view.getNetworkId()), address, OverlayNames.mac(address)));
      }
      names.serveOn(gateways());
      return new Joining(endpoints, List.of(needed.get(0).getGateway()));
    });
  }

  @Override
  public void started(Task task, String containerId) {
    if (task.getNetworksCount() == 0) {
      return;
    }
    onThread(() -> {
      int pid = engine.pid(containerId).orElseThrow(() ->
          new OverlayException("task " + task.getId() + ": container " + containerId + " is not running"));
      TaskContainer container = new TaskContainer(task, pid, null);
      containers.put(task.getId(), container);
      applyRules(container);
      return null;
    });
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }

  private List<NetworkView> awaitViews(Task task) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NETWORK_WAIT_MILLIS);
    synchronized (this) {
      while (true) {
        List<NetworkView> found = new ArrayList<>();
        String missing = null;
        for (NetworkAttachment attachment : task.getNetworksList()) {
          NetworkView view = views.get(attachment.getNetworkId());
          if (view == null) {
            missing = attachment.getNetworkId();
            break;
          }
          if (attachment.getAddressesCount() == 0) {
            throw new OverlayException("task " + task.getId() + " has no address on network " + view.getName());
          }
          found.add(view);
        }
        if (missing == null) {
          return found;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new OverlayException("network " + missing + " of task " + task.getId()
              + " is not in this node's network map after " + NETWORK_WAIT_MILLIS + " ms");
        }
        try {
          wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new OverlayException("interrupted while waiting for network " + missing, e);
        }
      }
    }
  }

  private <T> T onThread(Callable<T> work) {
    try {
      return thread.submit(work).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new OverlayException(String.valueOf(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new OverlayException("the overlay did not answer within " + CALL_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OverlayException("interrupted", e);
    }
  }

  /** Brings the host to the last map; on failure, tries again shortly. */
  private void reconcile() {
    Map<String, NetworkView> wanted;
    NetworkMap current;
    synchronized (this) {
      wanted = views;
      current = map;
    }
    boolean again = false;
    try {
      if (!listedEngine) {
        // Networks an earlier agent made: taken down below unless still wanted.
        engine.list().forEach((name, id) -> local.putIfAbsent(id, LocalNetwork.found(name)));
        Set<String> keep = new HashSet<>();
        wanted.values().forEach(v -> keep.add(OverlayNames.vxlan(v.getVxlanId())));
        for (String device : devices.list()) {
          if (!keep.contains(device)) {
            devices.delete(device);
          }
        }
        listedEngine = true;
      }
      // Down first: a network left from before may hold the subnet or bridge a wanted one needs.
      for (String id : new ArrayList<>(local.keySet())) {
        if (!wanted.containsKey(id)) {
          again |= !takeDown(id);
        }
      }
      for (NetworkView view : wanted.values()) {
        ensureLocal(view);
      }
      adoptRunning(wanted);
      for (TaskContainer container : new ArrayList<>(containers.values())) {
        applyRules(container);
      }
      names.update(current);
      names.serveOn(gateways());
    } catch (RuntimeException e) {
      log.warn("node {}: setting up overlay networks failed, trying again in {} ms: {}", node.id(), RETRY_MILLIS,
          e.getMessage());
      again = true;
    }
    if (again && !retryPending) {
      retryPending = true;
      thread.schedule(() -> {
        retryPending = false;
        reconcile();
      }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** Makes the network exist here and its forwarding entries match the view. */
  private void ensureLocal(NetworkView view) {
    LocalNetwork have = local.get(view.getNetworkId());
    ForwardingEntries programmed = ForwardingEntries.NONE;
    if (have != null && have.view() != null) {
      programmed = have.programmed();
    } else {
      int vni = view.getVxlanId();
      if (vni <= 0) {
        throw new OverlayException("network " + view.getName() + " has no VXLAN id");
      }
      engine.ensure(OverlayNames.engineNetwork(view.getNetworkId()), view.getNetworkId(), view.getSubnet(),
          view.getGateway(), OverlayNames.bridge(vni), mtu, view.getInternal());
      devices.create(OverlayNames.vxlan(vni), vni, node.addr(), OverlayNames.bridge(vni), mtu);
      log.info("node {}: network {} ({}, VXLAN {}) is up here", node.id(), view.getName(), view.getSubnet(), vni);
    }
    ForwardingEntries entries = ForwardingEntries.of(view, node.addr());
    devices.apply(entries.batchesFrom(programmed, OverlayNames.vxlan(view.getVxlanId())));
    local.put(view.getNetworkId(), new LocalNetwork(OverlayNames.engineNetwork(view.getNetworkId()), view, entries));
  }

  /** Takes a network no task here needs down; false while a container still uses it. */
  private boolean takeDown(String id) {
    LocalNetwork have = local.get(id);
    if (!engine.remove(have.engineName())) {
      return false;
    }
    if (have.view() != null) {
      devices.delete(OverlayNames.vxlan(have.view().getVxlanId()));
    } // else made by an earlier agent, whose devices the first pass removed
    local.remove(id);
    log.info("node {}: network {} is down here", node.id(), have.view() == null ? id : have.view().getName());
    return true;
  }

  /**
   * Running tasks of this node that the agent did not start itself (adopted after a restart):
   * their rules are kept up to date like the others'.
   */
  private void adoptRunning(Map<String, NetworkView> wanted) {
    Set<String> serving = new HashSet<>();
    Map<String, Set<String>> networksOfTask = new HashMap<>();
    for (NetworkView view : wanted.values()) {
      for (ServiceEndpoint service : view.getServicesList()) {
        service.getTaskAddressesList().forEach(a -> serving.add(OverlayNames.withoutPrefix(a)));
      }
      for (NetworkPeer peer : view.getPeersList()) {
        networksOfTask.computeIfAbsent(peer.getTaskId(), k -> new HashSet<>()).add(view.getNetworkId());
      }
    }
    containers.keySet().retainAll(networksOfTask.keySet());
    for (NetworkView view : wanted.values()) {
      for (NetworkPeer peer : view.getPeersList()) {
        if (!peer.getNodeId().equals(node.id()) || containers.containsKey(peer.getTaskId())
            || !serving.contains(OverlayNames.withoutPrefix(peer.getAddress()))) {
          continue;
        }
        engine.runningContainer(node.id(), peer.getTaskId()).ifPresent(id -> engine.pid(id).ifPresent(pid -> {
          Task task = taskOf(peer.getTaskId(), wanted);
          containers.put(peer.getTaskId(), new TaskContainer(task, pid, null));
        }));
      }
    }
  }

  /** A task as far as its rules need it: its addresses on each network of the map. */
  private static Task taskOf(String taskId, Map<String, NetworkView> wanted) {
    Task.Builder task = Task.newBuilder().setId(taskId);
    for (NetworkView view : wanted.values()) {
      for (NetworkPeer peer : view.getPeersList()) {
        if (peer.getTaskId().equals(taskId)) {
          task.addNetworks(NetworkAttachment.newBuilder().setNetworkId(view.getNetworkId()).addAddresses(peer.getAddress()));
        }
      }
    }
    return task.build();
  }

  private void applyRules(TaskContainer container) {
    Map<String, NetworkView> current;
    synchronized (this) {
      current = views;
    }
    String text = VipRules.forTask(container.task(), current);
    if (text.equals(container.applied())) {
      return;
    }
    try {
      rules.apply(container.pid(), text, container.applied() == null);
    } catch (OverlayException e) {
      if (!new java.io.File("/proc/" + container.pid()).exists()) {
        containers.remove(container.task().getId()); // the container is gone, and its namespace with it
        return;
      }
      throw e;
    }
    containers.put(container.task().getId(), new TaskContainer(container.task(), container.pid(), text));
  }

  private Set<String> gateways() {
    Set<String> gateways = new HashSet<>();
    for (LocalNetwork network : local.values()) {
      if (network.view() != null) {
        gateways.add(network.view().getGateway());
      }
    }
    return gateways;
  }

  /**
   * A network as set up on this host: its engine network, the view it was last set up from
   * (null for one found from an earlier agent) and the forwarding entries programmed.
   */
  private record LocalNetwork(String engineName, NetworkView view, ForwardingEntries programmed) {
    static LocalNetwork found(String engineName) {
      return new LocalNetwork(engineName, null, ForwardingEntries.NONE);
    }
  }

  /** A running task container and the rules last put in it (null: none yet). */
  private record TaskContainer(Task task, int pid, String applied) {}
}
