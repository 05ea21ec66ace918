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

/** The election on a real etcd: one leader at a time, and a deposed leader's writes are fenced. */
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
    store.txn().deleteString(LeaderElection.KEY, "a").commit();

    await().atMost(Duration.ofSeconds(10)).untilTrue(lost);
    a.close();
  }
}
