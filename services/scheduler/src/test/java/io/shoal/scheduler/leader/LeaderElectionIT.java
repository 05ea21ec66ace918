package io.shoal.scheduler.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The election on a real etcd: one leader at a time, a deposed leader's writes are fenced, and a
 * leader that lost its key steps down and leads again later under a new guard.
 */
@ExtendWith(EtcdExtension.class)
class LeaderElectionIT {
  private EtcdStore store;

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
  }

  @AfterEach
  void stop() {
    store.close();
  }

  @Test
  void theFollowerLeadsWhenTheLeaderStepsDownAndTheOldLeadersWritesFail() throws Exception {
    AtomicBoolean aLost = new AtomicBoolean();
    LeaderElection a = new LeaderElection(store, "a", Duration.ofSeconds(2), () -> aLost.set(true));
    LeaderElection b = new LeaderElection(store, "b", Duration.ofSeconds(2), () -> { });
    a.awaitLeadership();
    CompletableFuture<Void> bLeads = CompletableFuture.runAsync(() -> {
      try {
        b.awaitLeadership();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    // A leads and its fenced writes land; B waits.
    var txn = store.txn();
    a.guard().accept(txn);
    txn.createString("probe/1", "a").commit();
    assertThat(bLeads).isNotDone();
    assertThat(a.leader()).contains("a");

    a.close();

    await().atMost(Duration.ofSeconds(10)).until(bLeads::isDone);
    assertThat(b.leader()).contains("b");
    var stale = store.txn();
    a.guard().accept(stale);
    assertThatThrownBy(() -> stale.createString("probe/2", "a").commit()).isInstanceOf(ConflictException.class);
    assertThat(store.getString("probe/2")).isEmpty();
    b.close();
  }

  @Test
  void aLeaderWhoseKeyIsGoneNoticesAndSaysSo() throws Exception {
    AtomicBoolean lost = new AtomicBoolean();
    LeaderElection a = new LeaderElection(store, "a", Duration.ofSeconds(1), () -> lost.set(true));
    a.awaitLeadership();

    // Another party deletes the key (as if the lease had expired during a long pause).
    store.txn().deleteString(LeaderElection.KEY, store.getString(LeaderElection.KEY).orElseThrow()).commit();

    await().atMost(Duration.ofSeconds(10)).untilTrue(lost);
    a.close();
  }

  /** Someone else takes the key from its holder, as a successor would after its lease expired. */
  private long intruderTakesTheKey() {
    long lease = store.grantLease(30);
    store.txn().requireValue(LeaderElection.KEY, store.getString(LeaderElection.KEY).orElseThrow())
        .putBytes(LeaderElection.KEY, "intruder#1".getBytes(java.nio.charset.StandardCharsets.UTF_8), lease).commit();
    return lease;
  }

  private boolean writes(java.util.function.Consumer<io.shoal.common.store.Txn> guard, String key) {
    var txn = store.txn();
    guard.accept(txn);
    try {
      txn.createString(key, "x").commit();
      return true;
    } catch (ConflictException e) {
      return false;
    }
  }

  @Test
  void aLeaderThatLostItsKeyLeadsAgainUnderANewGuard() throws Exception {
    AtomicBoolean lost = new AtomicBoolean();
    LeaderElection a = new LeaderElection(store, "a", Duration.ofSeconds(1), () -> lost.set(true));
    a.awaitLeadership();
    var firstTerm = a.guard();
    long intruder = intruderTakesTheKey();
    await().atMost(Duration.ofSeconds(10)).untilTrue(lost);
    store.revokeLease(intruder);

    a.awaitLeadership();

    assertThat(a.leader()).contains("a");
    assertThat(writes(a.guard(), "probe/second")).isTrue();
    assertThat(writes(firstTerm, "probe/first")).isFalse(); // the first term's writes stay fenced
    a.close();
  }

  /** A loop as LeaderTerms sees it: started with a guard, closed once. */
  static final class FakeLoop implements AutoCloseable {
    final java.util.function.Consumer<io.shoal.common.store.Txn> guard;
    final AtomicBoolean closed = new AtomicBoolean();

    FakeLoop(java.util.function.Consumer<io.shoal.common.store.Txn> guard) {
      this.guard = guard;
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  @Test
  void leaderTermsStopTheLoopOnLossAndStartAFreshOneOnTheNextTerm() {
    java.util.List<FakeLoop> loops = new java.util.concurrent.CopyOnWriteArrayList<>();
    LeaderTerms terms = new LeaderTerms(store, "a", Duration.ofSeconds(1), guard -> {
      FakeLoop loop = new FakeLoop(guard);
      loops.add(loop);
      return loop;
    }).start();
    await().atMost(Duration.ofSeconds(10)).until(() -> loops.size() == 1);
    FakeLoop first = loops.get(0);
    assertThat(first.closed).isFalse();

    long intruder = intruderTakesTheKey();

    // Stepped down: the loop is stopped, and no other starts while someone else leads.
    await().atMost(Duration.ofSeconds(10)).untilTrue(first.closed);
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> loops.size() == 1);
    assertThat(writes(first.guard, "probe/stale")).isFalse();

    store.revokeLease(intruder);

    await().atMost(Duration.ofSeconds(10)).until(() -> loops.size() == 2);
    FakeLoop second = loops.get(1);
    assertThat(second.closed).isFalse();
    assertThat(terms.termsLed()).isEqualTo(2);
    assertThat(writes(second.guard, "probe/fresh")).isTrue();
    assertThat(writes(first.guard, "probe/stale")).isFalse();

    terms.close();
    assertThat(second.closed).isTrue();
    assertThat(store.getString(LeaderElection.KEY)).isEmpty(); // resigned: a follower needn't wait
  }
}
