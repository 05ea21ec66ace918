package io.shoal.scheduler.leader;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Txn;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduler leads, the others wait (ARCHITECTURE: "Scheduler replicas elect one leader
 * through etcd"). The leader holds {@code leader/scheduler}, written only if absent and attached
 * to a lease it renews every third of the TTL; when it dies (kill -9) the lease expires and the
 * key goes, and a waiting instance takes it. The key's value names the instance and the term
 * ({@code id#lease}), and every write of the leader carries {@link #guard()}, so a leader that
 * lost its key (paused, partitioned) can't write a task next to its successor, nor next to its
 * own next term. On losing the key, {@code onLost} runs; {@link #awaitLeadership()} may then
 * campaign again ({@link LeaderTerms} does).
 *
 * <pre>{@code
 * LeaderElection election = new LeaderElection(store, id, Duration.ofSeconds(3), lost::release);
 * election.awaitLeadership();   // blocks while another instance leads
 * loop.start(election.guard());
 * }</pre>
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
  public static final String KEY = io.shoal.common.store.Tables.LEADER + "/scheduler";
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
  /** Guards the term: the campaign, the renewer and resign() each touch it. */
  private final Object lock = new Object();
  /** Guarded by lock. */
  private long leaseId;
  /**
   * The key's value in this instance's latest term ({@code id#lease}), kept after the term ends
   * so the term's guard still fences. Guarded by lock.
   */
  private String term;
  /** Set while this instance leads. Guarded by lock. */
  private ScheduledFuture<?> renewal;
  /** When the lease was last granted or renewed (System.nanoTime): it lasts the TTL from there. */
  private volatile long renewedAt;
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

  /** Which instance leads now, if any. */
  public Optional<String> leader() {
    return store.getString(KEY).map(LeaderElection::instanceOf);
  }

  private static String instanceOf(String value) {
    int hash = value.lastIndexOf('#');
    return hash < 0 ? value : value.substring(0, hash);
  }

  /** Blocks until this instance holds the key, then keeps its lease alive. */
  public void awaitLeadership() throws InterruptedException {
    Optional<String> seen = Optional.empty();
    while (!closed) {
      long granted = System.nanoTime();
      long lease = store.grantLease(Math.max(1, ttl.toSeconds()));
      String value = id + "#" + Long.toHexString(lease);
      try {
        store.txn().requireAbsent(KEY).putBytes(KEY, value.getBytes(UTF_8), lease).commit();
        long every = Math.max(100, ttl.toMillis() / 3);
        synchronized (lock) {
          leaseId = lease;
          term = value;
          renewedAt = granted;
          renewal = renewer.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
        }
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
    String current;
    long lease;
    synchronized (lock) {
      if (renewal == null) {
        return; // the term ended meanwhile
      }
      current = term;
      lease = leaseId;
    }
    boolean alive;
    try {
      long asked = System.nanoTime();
      alive = store.keepAlive(lease) && store.getString(KEY).filter(current::equals).isPresent();
      renewedAt = asked;
    } catch (RuntimeException e) {
      if (System.nanoTime() - renewedAt < ttl.toNanos()) {
        log.warn("could not renew the leader lease: {}", e.toString());
        return; // try again at the next tick; the lease outlives a few missed renewals
      }
      // etcd has not answered for the lease's whole TTL: it has expired there, whatever etcd says later.
      log.warn("could not renew the leader lease for {} ms, its TTL: {}", ttl.toMillis(), e.toString());
      alive = false;
    }
    if (!alive && !closed) {
      log.error("scheduler {} lost the leadership (its lease expired or its key is gone)", id);
      resign();
      onLost.run();
    }
  }

  /**
   * Added to every transaction of the latest term: it applies only while that term lasts. A
   * later term of the same instance has another guard.
   */
  public Consumer<Txn> guard() {
    String value;
    synchronized (lock) {
      value = term;
    }
    if (value == null) {
      throw new IllegalStateException("scheduler " + id + " does not lead; call awaitLeadership() first");
    }
    return txn -> txn.requireValue(KEY, value);
  }

  /** Ends this term, if any: stops renewing and revokes the lease, so the key goes at once. */
  public void resign() {
    long lease;
    synchronized (lock) {
      if (renewal != null) {
        renewal.cancel(false);
        renewal = null;
      }
      lease = leaseId;
      leaseId = 0;
    }
    if (lease != 0) {
      try {
        store.revokeLease(lease);
      } catch (RuntimeException e) {
        log.warn("could not revoke the leader lease; it expires in {}: {}", ttl, e.toString());
      }
    }
  }

  /** Steps down at once (SIGTERM), so a follower takes over without waiting for the TTL. */
  @Override
  public void close() {
    closed = true;
    resign();
    renewer.shutdownNow();
  }
}
