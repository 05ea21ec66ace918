package io.shoal.scheduler.leader;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Txn;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduler leads, the others wait (ARCHITECTURE: "Scheduler replicas elect one leader
 * through etcd"). The leader holds {@code leader/scheduler}, written only if absent and attached
 * to a lease it renews every third of the TTL; when it dies (kill -9) the lease expires and the
 * key goes, and a waiting instance takes it. Every write of the leader carries {@link #guard()},
 * so a leader that lost its key (paused, partitioned) can't write a task next to its successor.
 * Losing leadership is fatal, as in kube-scheduler: {@code onLost} runs and the process should
 * exit for its supervisor to restart it as a follower.
 *
 * <pre>{@code
 * LeaderElection election = new LeaderElection(store, id, Duration.ofSeconds(3), () -> System.exit(1));
 * election.awaitLeadership();   // blocks while another instance leads
 * loop.start(election.guard());
 * }</pre>
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
  public static final String KEY = "leader/scheduler";
  /** How often a follower looks at the key while another instance leads. */
  static final Duration POLL = Duration.ofMillis(200);

  private final EtcdStore store;
  private final String id;
  private final Duration ttl;
  private final Runnable onLost;
  private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "leader-lease");
    t.setDaemon(true);
    return t;
  });
  private volatile long leaseId;
  private volatile boolean closed;

  public LeaderElection(EtcdStore store, String id, Duration ttl, Runnable onLost) {
    this.store = store;
    this.id = id;
    this.ttl = ttl;
    this.onLost = onLost;
  }

  public String id() {
    return id;
  }

  /** Who leads now, if anyone. */
  public Optional<String> leader() {
    return store.getString(KEY);
  }

  /** Blocks until this instance holds the key, then keeps its lease alive. */
  public void awaitLeadership() throws InterruptedException {
    Optional<String> seen = Optional.empty();
    while (!closed) {
      long lease = store.grantLease(Math.max(1, ttl.toSeconds()));
      try {
        store.txn().requireAbsent(KEY).putBytes(KEY, id.getBytes(UTF_8), lease).commit();
        leaseId = lease;
        long every = Math.max(100, ttl.toMillis() / 3);
        renewer.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
        log.info("scheduler {} is the leader", id);
        return;
      } catch (ConflictException e) {
        store.revokeLease(lease);
        Optional<String> leader = leader();
        if (!leader.equals(seen)) {
          log.info("scheduler {} waits: {} leads", id, leader.orElse("nobody"));
          seen = leader;
        }
        TimeUnit.MILLISECONDS.sleep(POLL.toMillis()); // a follower polls; it has nothing else to do
      }
    }
    throw new InterruptedException("closed before leading");
  }

  private void renew() {
    boolean alive;
    try {
      alive = store.keepAlive(leaseId) && leader().filter(id::equals).isPresent();
    } catch (RuntimeException e) {
      log.warn("could not renew the leader lease: {}", e.toString());
      return; // try again at the next tick; the lease outlives a few missed renewals
    }
    if (!alive && !closed) {
      log.error("scheduler {} lost the leadership (its lease expired)", id);
      renewer.shutdown();
      onLost.run();
    }
  }

  /** Added to every transaction the leader writes: it applies only while this instance leads. */
  public Consumer<Txn> guard() {
    return txn -> txn.requireValue(KEY, id);
  }

  /** Steps down at once (SIGTERM), so a follower takes over without waiting for the TTL. */
  @Override
  public void close() {
    closed = true;
    renewer.shutdownNow();
    if (leaseId != 0) {
      try {
        store.revokeLease(leaseId);
      } catch (RuntimeException e) {
        log.warn("could not revoke the leader lease; it expires in {}: {}", ttl, e.toString());
      }
    }
  }
}
