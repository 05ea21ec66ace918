package io.shoal.dispatcher;

import io.grpc.Status;
import io.shoal.api.v1.EndpointVirtualIp;
import io.shoal.api.v1.NetworkAttachment;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.Task;
import io.shoal.common.store.Change;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.StoreCache;
import io.shoal.common.store.Tables;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connected sessions, and the loop that keeps them told: watches tasks, nodes, sessions, networks
 * and services' status; pushes a node's assignments whenever what its agent acts on changes, and
 * its network map (before them) whenever that changes; marks nodes DOWN when their session key
 * disappears, and records as ORPHANED the tasks a down node cannot report on ({@link OrphanedTasks}).
 *
 * <p>The watch thread only marks: nodes whose assignments may have changed ({@code dirtyNodes}),
 * networks whose view may have changed ({@code dirtyNetworks}). The pusher, one thread, takes the
 * marks and then reads the cache, so a change marked after it took them is pushed next round.
 */
@Singleton
final class SessionManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionManager.class);

  /** Wakes the pusher for network changes alone; never a node id (those are 1-64 characters). */
  private static final String NETWORKS_CHANGED = "";

  private final EtcdStore store;
  private final NodeRegistrar registrar;
  private final Map<String, AgentSession> sessions = new ConcurrentHashMap<>();
  /** node id → ids of tasks assigned to it; touched only by the watch thread. */
  private final Map<String, Set<String>> tasksByNode = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<String> dirtyNodes = new LinkedBlockingQueue<>();
  /** Network ids whose view may have changed since the pusher last looked. */
  private final Set<String> dirtyNetworks = ConcurrentHashMap.newKeySet();
  private final ExecutorService livenessExecutor = Executors.newSingleThreadExecutor(r -> daemon(r, "liveness"));
  private final Thread pusher = daemon(this::pushLoop, "assignment-pusher");
  private final ScheduledExecutorService heartbeatChecker =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "heartbeat-checker"));
  private volatile StoreCache cache;
  private volatile boolean running = true;

  /** A Provider: the writer looks tasks up in this manager's cache. */
  private final Provider<TaskStatusWriter> statusWriter;
  private final Clock clock;
  private final Duration heartbeatPeriod;

  /** Sessions open now (a gauge). */
  int open() {
    return sessions.size();
  }

  @Inject
  SessionManager(EtcdStore store, NodeRegistrar registrar, Provider<TaskStatusWriter> statusWriter, Clock clock,
      @Named("heartbeatPeriod") Duration heartbeatPeriod) {
    this.store = store;
    this.heartbeatPeriod = heartbeatPeriod;
    this.registrar = registrar;
    this.statusWriter = statusWriter;
    this.clock = clock;
  }

  void start() {
    StoreCache tables = new StoreCache(store, List.of(Tables.TASKS, Tables.NODE_REGISTRATIONS, Tables.SESSIONS,
        Tables.NETWORKS, Tables.SERVICE_STATUS, Tables.REVOKED_NODES), this::onChanges);
    // Set before start: its first delivery (every stored object, as a put) reads the cache, and
    // records the tasks orphaned while no dispatcher watched.
    cache = tables;
    tables.start();
    pusher.start();
    heartbeatChecker.scheduleAtFixedRate(this::expireSilentSessions, 500, 500, TimeUnit.MILLISECONDS);
    // Nodes removed while no dispatcher saw it.
    for (String nodeId : cache.view(Tables.REVOKED_NODES).keySet()) {
      if (cache.view(Tables.NODE_REGISTRATIONS).containsKey(nodeId) || cache.view(Tables.SESSIONS).containsKey(nodeId)) {
        livenessExecutor.execute(() -> registrar.remove(nodeId));
      }
    }
    // Nodes left READY when the last dispatcher died: their leases lapsed while none watched.
    // As SwarmKit does after a leader change, their agents get one grace from this start to come
    // back (they retry every 2 s at most): a restarted dispatcher must not turn every node DOWN
    // and have the scheduler replace every task. markDown skips a node that has a session by then.
    long grace = heartbeatPeriod.multipliedBy(AgentSession.GRACE_PERIODS).toMillis();
    for (NodeRegistration node : cache.view(Tables.NODE_REGISTRATIONS).values()) {
      if (node.getStatus().getState() == NodeState.NODE_STATE_READY
          && !cache.view(Tables.SESSIONS).containsKey(node.getId())) {
        heartbeatChecker.schedule(() -> livenessExecutor.execute(() -> registrar.markDown(node.getId(),
            "heartbeat failure: not back within the grace after a dispatcher started")), grace, TimeUnit.MILLISECONDS);
      }
    }
  }

  void attach(AgentSession session) {
    AgentSession previous = sessions.put(session.nodeId(), session);
    if (previous != null && previous != session) {
      previous.fail(Status.ABORTED.withDescription("replaced by a newer session of the same node"));
    }
    dirtyNodes.add(session.nodeId());
  }

  /** Whether {@code nodeId} was removed from the cluster (`node rm`), as this manager's watch saw it. */
  boolean revoked(String nodeId) {
    StoreCache current = cache;
    return current != null && current.get(Tables.REVOKED_NODES, nodeId).isPresent();
  }

  /** The node's session on this dispatcher, if any. */
  Optional<AgentSession> session(String nodeId) {
    return Optional.ofNullable(sessions.get(nodeId));
  }

  /** Pushes the node's assignments again (its session could not take the last change). */
  void push(String nodeId) {
    dirtyNodes.add(nodeId);
  }

  void detach(AgentSession session) {
    sessions.remove(session.nodeId(), session);
  }

  private void onChanges(List<Change<?>> changes) {
    boolean networksChanged = false;
    for (Change<?> change : changes) {
      if (change.table() == Tables.TASKS) {
        networksChanged |= onTaskChange(change);
        if (change instanceof Change.Put<?> put) {
          recordIfOrphaned((Task) put.value());
        }
      } else if (change.table() == Tables.NETWORKS) {
        dirtyNetworks.add(change.id());
        networksChanged = true;
      } else if (change.table() == Tables.SERVICE_STATUS) {
        networksChanged |= onServiceStatusChange(change);
      } else if (change.table() == Tables.NODE_REGISTRATIONS) {
        networksChanged |= onNodeChange(change);
        recordOrphansOf(change.id());
      } else if (change.table() == Tables.REVOKED_NODES && change instanceof Change.Put<?> put) {
        revoke(put.id());
      } else if (change.table() == Tables.SESSIONS && change instanceof Change.Delete<?> d) {
        String nodeId = d.id();
        livenessExecutor.execute(() -> registrar.markDown(nodeId, "heartbeat failure"));
      }
    }
    if (networksChanged) {
      dirtyNodes.add(NETWORKS_CHANGED);
    }
  }

  /**
   * `node rm`: the node's session on this dispatcher ends at once, and the node is forgotten.
   * Off the watch thread: ending a session revokes its lease, a call to etcd.
   */
  private void revoke(String nodeId) {
    livenessExecutor.execute(() -> {
      AgentSession session = sessions.get(nodeId);
      if (session != null) {
        session.fail(Status.PERMISSION_DENIED.withDescription(NodeRegistrar.revoked(nodeId).getMessage()));
      }
      registrar.remove(nodeId);
    });
  }

  /** Marks the task's nodes if their assignments changed; returns whether it marked networks. */
  private boolean onTaskChange(Change<?> change) {
    Task before = (Task) previous(change);
    Task after = change instanceof Change.Put<?> p ? (Task) p.value() : null;
    // Any change of a task on a network (state, desired state, node, addresses) may change the
    // views of its networks; the pusher sends a map only if it did.
    boolean networks = markNetworks(before) | markNetworks(after);
    if (before != null && after != null && AssignedTasks.sameAssignment(before, after)) {
      return networks;
    }
    if (before != null && !before.getNodeId().isEmpty()) {
      tasksByNode.computeIfAbsent(before.getNodeId(), k -> ConcurrentHashMap.newKeySet()).remove(before.getId());
      dirtyNodes.add(before.getNodeId());
    }
    if (after != null && !after.getNodeId().isEmpty()) {
      tasksByNode.computeIfAbsent(after.getNodeId(), k -> ConcurrentHashMap.newKeySet()).add(after.getId());
      dirtyNodes.add(after.getNodeId());
    }
    return networks;
  }

  private boolean markNetworks(Task task) {
    if (task == null || task.getNetworksCount() == 0) {
      return false;
    }
    for (NetworkAttachment attachment : task.getNetworksList()) {
      dirtyNetworks.add(attachment.getNetworkId());
    }
    return true;
  }

  /** A service's virtual IPs moved: the networks they are (or were) on. */
  private boolean onServiceStatusChange(Change<?> change) {
    ServiceStatus before = (ServiceStatus) previous(change);
    ServiceStatus after = change instanceof Change.Put<?> p ? (ServiceStatus) p.value() : null;
    if (before != null && after != null && before.getEndpoint().equals(after.getEndpoint())) {
      return false;
    }
    boolean marked = false;
    for (ServiceStatus status : new ServiceStatus[] {before, after}) {
      if (status != null) {
        for (EndpointVirtualIp vip : status.getEndpoint().getVirtualIpsList()) {
          dirtyNetworks.add(vip.getNetworkId());
          marked = true;
        }
      }
    }
    return marked;
  }

  /** A node's address is its tasks' peers' tunnel end: the networks of its tasks. */
  private boolean onNodeChange(Change<?> change) {
    NodeRegistration before = (NodeRegistration) previous(change);
    NodeRegistration after = change instanceof Change.Put<?> p ? (NodeRegistration) p.value() : null;
    String addrBefore = before == null ? "" : before.getDescription().getAddr();
    String addrAfter = after == null ? "" : after.getDescription().getAddr();
    if (addrBefore.equals(addrAfter)) {
      return false;
    }
    boolean marked = false;
    Map<String, Task> tasks = cache.view(Tables.TASKS);
    for (String taskId : tasksByNode.getOrDefault(change.id(), Set.of())) {
      Task task = tasks.get(taskId);
      marked |= markNetworks(task);
    }
    return marked;
  }

  /** The node went down or was removed (or came back: then nothing is orphaned). */
  private void recordOrphansOf(String nodeId) {
    Map<String, Task> tasks = cache.view(Tables.TASKS);
    for (String taskId : tasksByNode.getOrDefault(nodeId, Set.of())) {
      Task task = tasks.get(taskId);
      if (task != null) {
        recordIfOrphaned(task);
      }
    }
  }

  /**
   * Every dispatcher sees the same change and may write it; the writer keeps states moving
   * forward, so at worst the status is written twice.
   */
  private void recordIfOrphaned(Task task) {
    if (task.getNodeId().isEmpty()) {
      return;
    }
    OrphanedTasks.orphaned(task, cache.get(Tables.NODE_REGISTRATIONS, task.getNodeId()), clock.instant())
        .ifPresent(status -> statusWriter.get().submit(task.getNodeId(), task.getId(), status));
  }

  private static Object previous(Change<?> change) {
    if (change instanceof Change.Put<?> p) {
      return p.previous();
    }
    return ((Change.Delete<?>) change).previous();
  }

  private void pushLoop() {
    while (running) {
      try {
        String first = dirtyNodes.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        // A short pause gathers the writes of one scheduler tick into one push per node.
        Thread.sleep(10);
        Set<String> nodes = new HashSet<>();
        nodes.add(first);
        dirtyNodes.drainTo(nodes);
        nodes.remove(NETWORKS_CHANGED);
        // Taken before the cache is read: a network marked from now on is looked at next round.
        Set<String> networks = new HashSet<>();
        for (String id : dirtyNetworks) {
          dirtyNetworks.remove(id);
          networks.add(id);
        }
        NetworkMaps maps = networkMaps();
        for (AgentSession session : sessions.values()) {
          String nodeId = session.nodeId();
          try {
            if (nodes.contains(nodeId) || session.networkMapConcerns(networks)) {
              session.push(assignments(nodeId), () -> maps.forNode(nodeId));
            }
          } catch (RuntimeException e) {
            log.warn("pushing to node {} failed: {}", nodeId, e.toString());
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("pushing assignments failed: {}", e.toString());
      }
    }
  }

  /** Maps over the cache as it is now (built lazily, as sessions ask). */
  private NetworkMaps networkMaps() {
    return new NetworkMaps(cache.view(Tables.TASKS), cache.view(Tables.NETWORKS), cache.view(Tables.SERVICE_STATUS),
        cache.view(Tables.NODE_REGISTRATIONS));
  }

  private void expireSilentSessions() {
    long now = System.nanoTime();
    for (AgentSession session : sessions.values()) {
      try {
        session.expireIfSilent(now);
      } catch (RuntimeException e) {
        log.warn("expiring the session of node {} failed: {}", session.nodeId(), e.toString());
      }
    }
  }

  /** The task as the watch last saw it (with its version), for the status writer. */
  Optional<Task> cachedTask(String taskId) {
    return cache == null ? Optional.empty() : cache.get(Tables.TASKS, taskId);
  }

  List<Task> assignments(String nodeId) {
    List<Task> tasks = new ArrayList<>();
    Map<String, Task> all = cache.view(Tables.TASKS);
    for (String id : tasksByNode.getOrDefault(nodeId, Set.of())) {
      Task task = all.get(id);
      if (task != null && AssignedTasks.assignedTo(task, nodeId)) {
        tasks.add(task);
      }
    }
    return tasks;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    running = false;
    pusher.interrupt();
    sessions.values().forEach(s -> s.release(Status.UNAVAILABLE.withDescription("dispatcher shutting down")));
    if (cache != null) {
      cache.close();
    }
    livenessExecutor.shutdownNow();
    heartbeatChecker.shutdownNow();
  }
}
