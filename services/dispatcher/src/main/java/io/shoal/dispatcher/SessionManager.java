package io.shoal.dispatcher;

import io.grpc.Status;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.Task;
import io.shoal.common.store.Change;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.StoreCache;
import io.shoal.common.store.Tables;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
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
 * Connected sessions, and the loop that keeps them told: watches tasks, nodes and sessions;
 * pushes a node's full assignment set whenever what its agent acts on changes; marks nodes DOWN
 * when their session key disappears.
 */
@Singleton
final class SessionManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionManager.class);

  private final EtcdStore store;
  private final NodeRegistrar registrar;
  private final Map<String, AgentSession> sessions = new ConcurrentHashMap<>();
  /** node id → ids of tasks assigned to it; touched only by the watch thread. */
  private final Map<String, Set<String>> tasksByNode = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<String> dirtyNodes = new LinkedBlockingQueue<>();
  private final ExecutorService livenessExecutor = Executors.newSingleThreadExecutor(r -> daemon(r, "liveness"));
  private final Thread pusher = daemon(this::pushLoop, "assignment-pusher");
  private final ScheduledExecutorService heartbeatChecker =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "heartbeat-checker"));
  private StoreCache cache;
  private volatile boolean running = true;

  @Inject
  SessionManager(EtcdStore store, NodeRegistrar registrar) {
    this.store = store;
    this.registrar = registrar;
  }

  void start() {
    cache = new StoreCache(store, List.of(Tables.TASKS, Tables.NODE_REGISTRATIONS, Tables.SESSIONS), this::onChanges).start();
    pusher.start();
    heartbeatChecker.scheduleAtFixedRate(this::expireSilentSessions, 500, 500, TimeUnit.MILLISECONDS);
    // Nodes left READY by a dispatcher that died with them: their session keys are gone.
    for (NodeRegistration node : cache.view(Tables.NODE_REGISTRATIONS).values()) {
      if (node.getStatus().getState() == NodeState.NODE_STATE_READY
          && !cache.view(Tables.SESSIONS).containsKey(node.getId())) {
        livenessExecutor.execute(() -> registrar.markDown(node.getId(), "heartbeat failure"));
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
    for (Change<?> change : changes) {
      if (change.table() == Tables.TASKS) {
        onTaskChange(change);
      } else if (change.table() == Tables.SESSIONS && change instanceof Change.Delete<?> d) {
        String nodeId = d.id();
        livenessExecutor.execute(() -> registrar.markDown(nodeId, "heartbeat failure"));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void onTaskChange(Change<?> change) {
    Task before = null;
    Task after = null;
    if (change instanceof Change.Put<?> p) {
      before = (Task) p.previous();
      after = (Task) p.value();
    } else if (change instanceof Change.Delete<?> d) {
      before = (Task) d.previous();
    }
    if (before != null && after != null && AssignedTasks.sameAssignment(before, after)) {
      return;
    }
    if (before != null && !before.getNodeId().isEmpty()) {
      tasksByNode.computeIfAbsent(before.getNodeId(), k -> ConcurrentHashMap.newKeySet()).remove(before.getId());
      dirtyNodes.add(before.getNodeId());
    }
    if (after != null && !after.getNodeId().isEmpty()) {
      tasksByNode.computeIfAbsent(after.getNodeId(), k -> ConcurrentHashMap.newKeySet()).add(after.getId());
      dirtyNodes.add(after.getNodeId());
    }
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
        for (String nodeId : nodes) {
          AgentSession session = sessions.get(nodeId);
          if (session != null) {
            session.sendAssignments(assignments(nodeId));
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("pushing assignments failed: {}", e.toString());
      }
    }
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
    sessions.values().forEach(s -> s.fail(Status.UNAVAILABLE.withDescription("dispatcher shutting down")));
    if (cache != null) {
      cache.close();
    }
    livenessExecutor.shutdownNow();
    heartbeatChecker.shutdownNow();
  }
}
