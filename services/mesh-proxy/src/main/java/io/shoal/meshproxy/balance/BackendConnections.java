package io.shoal.meshproxy.balance;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.shoal.meshproxy.MeshProxyConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open backend channels (TCP connections and UDP flows) of this proxy, by task.
 *
 * <p>It answers two questions: how many connections a task has now (least-conn), and which
 * connections to end when a task leaves the route table. A task that leaves (its desired state
 * turned SHUTDOWN, or its service stopped publishing) gets no new connections from then on,
 * while those it has keep flowing for the drain timeout, then are closed: a bounded, graceful
 * drain. A connection that a client started from an older table just before the task left is
 * drained the same way.
 *
 * <p>Threading: called from every I/O thread and from the route loop; the maps are concurrent
 * and a channel is closed on its own event loop.
 */
@Singleton
public final class BackendConnections {
  private static final Logger log = LoggerFactory.getLogger(BackendConnections.class);

  private final Duration drainTimeout;
  private final Map<String, Set<Channel>> byTask = new ConcurrentHashMap<>();
  /** Tasks that left the table, with the System.nanoTime() at which their connections close. */
  private final Map<String, Long> draining = new ConcurrentHashMap<>();

  @Inject
  public BackendConnections(MeshProxyConfig config) {
    this(config.drainTimeout());
  }

  public BackendConnections(Duration drainTimeout) {
    this.drainTimeout = drainTimeout;
  }

  /** Counts {@code channel} as a connection of {@code taskId} until it closes. */
  public void add(String taskId, Channel channel) {
    // compute/computeIfPresent lock the task's entry: a set emptied by one I/O thread is never
    // dropped while another thread adds to it.
    byTask.compute(taskId, (id, channels) -> {
      Set<Channel> set = channels != null ? channels : ConcurrentHashMap.newKeySet();
      set.add(channel);
      return set;
    });
    channel.closeFuture().addListener((ChannelFutureListener) closed ->
        byTask.computeIfPresent(taskId, (id, channels) -> {
          channels.remove(channel);
          return channels.isEmpty() ? null : channels;
        }));
    Long deadline = draining.get(taskId);
    if (deadline != null) {
      closeAt(taskId, channel, deadline);
    }
  }

  /** Open connections of {@code taskId} (0 for a task never seen). */
  public int active(String taskId) {
    Set<Channel> channels = byTask.get(taskId);
    return channels == null ? 0 : channels.size();
  }

  /**
   * Starts draining every task with connections that is not in {@code serving}: each of its
   * connections is closed when the drain timeout has passed, unless it ends first. A task that
   * comes back into {@code serving} before then keeps its connections.
   */
  public void retain(Set<String> serving) {
    draining.keySet().retainAll(byTask.keySet());
    draining.keySet().removeAll(serving);
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    for (Map.Entry<String, Set<Channel>> task : byTask.entrySet()) {
      String taskId = task.getKey();
      if (serving.contains(taskId) || draining.putIfAbsent(taskId, deadline) != null) {
        continue;
      }
      log.info("task {} left the routes: draining its {} connection(s) for at most {} s",
          taskId, task.getValue().size(), drainTimeout.toSeconds());
      task.getValue().forEach(channel -> closeAt(taskId, channel, deadline));
    }
  }

  /** Tasks whose connections are draining now. */
  public Set<String> drainingTasks() {
    return Set.copyOf(draining.keySet());
  }

  private void closeAt(String taskId, Channel channel, long deadline) {
    long delay = Math.max(0, deadline - System.nanoTime());
    channel.eventLoop().schedule(() -> {
      if (channel.isOpen() && draining.containsKey(taskId)) {
        log.debug("{}: drain timeout of task {}, closing", channel, taskId);
        channel.close();
      }
    }, delay, TimeUnit.NANOSECONDS);
  }
}
