package io.shoal.scheduler.leader;

import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Txn;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leads term after term: campaigns, runs a fresh loop under the term's fencing guard while this
 * instance leads, stops it when the key is lost, and campaigns again. A scheduler that loses
 * its lease (a long GC pause, a partition from etcd) steps down instead of exiting; nothing
 * carries over from one term to the next, since each loop lists and watches afresh.
 *
 * <pre>{@code
 * LeaderTerms terms = new LeaderTerms(store, id, ttl, guard -> {
 *   SchedulerLoop loop = newLoop();
 *   loop.start(guard);
 *   return loop;
 * }).start();
 * ...
 * terms.close();   // stops the loop, then resigns so a follower takes over at once
 * }</pre>
 */
public final class LeaderTerms implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderTerms.class);
  /** How long to wait before campaigning again after a term failed to start. */
  static final Duration RETRY = Duration.ofSeconds(1);

  /** Starts the work of one term. */
  public interface Term {
    /**
     * Starts a loop whose every transaction carries {@code guard}; closing what it returns stops
     * the loop and everything it started (threads, writers, cache), waiting for them.
     */
    AutoCloseable start(Consumer<Txn> guard);
  }

  private final LeaderElection election;
  private final Term term;
  /** A permit per lost term: the renewer releases it, the campaign thread waits on it. */
  private final Semaphore lost = new Semaphore(0);
  private final Thread campaign = new Thread(this::run, "leader-campaign");
  private volatile boolean closed;
  private volatile int termsLed;

  public LeaderTerms(EtcdStore store, String id, Duration ttl, Term term) {
    this.election = new LeaderElection(store, id, ttl, lost::release);
    this.term = term;
  }

  public LeaderTerms start() {
    campaign.setDaemon(true);
    campaign.start();
    return this;
  }

  /** Terms this instance has led so far, the current one included. */
  public int termsLed() {
    return termsLed;
  }

  private void run() {
    while (!closed) {
      try {
        lost.drainPermits();
        election.awaitLeadership();
        leadOneTerm();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // etcd unreachable while campaigning, or the loop could not list: step down and retry.
        log.warn("scheduler {} could not lead; campaigning again in {}: {}", election.id(), RETRY, e.toString());
        election.resign();
        try {
          TimeUnit.MILLISECONDS.sleep(RETRY.toMillis());
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** Runs one loop until the key is lost (or close), then stops it before anything else runs. */
  private void leadOneTerm() throws InterruptedException {
    AutoCloseable loop = term.start(election.guard());
    termsLed++;
    try {
      lost.acquire();
      log.warn("scheduler {} steps down: stopping its loop, then campaigning again", election.id());
    } finally {
      try {
        loop.close();
      } catch (Exception e) {
        log.warn("scheduler {}: error while stopping its loop: {}", election.id(), e.toString());
      }
    }
  }

  /** Stops the loop, then resigns so that a follower takes over without waiting for the TTL. */
  @Override
  public void close() {
    closed = true;
    campaign.interrupt();
    try {
      campaign.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    election.close();
  }
}
