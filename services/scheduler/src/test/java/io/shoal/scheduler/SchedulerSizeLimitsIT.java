package io.shoal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.v1.Service;
import io.shoal.common.spec.SpecBounds;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scheduler at the size limits control enforces (#19): every task carries a copy of its
 * service's spec, so big specs times many replicas must still fit etcd's request limit and be
 * read back whole after a restart.
 */
@ExtendWith(EtcdExtension.class)
class SchedulerSizeLimitsIT {
  static final int MAX_REPLICAS = (int) SpecBounds.MAX_REPLICAS;
  static final long MAX_TASK_SPEC_BYTES = SpecBounds.MAX_SPEC_BYTES_IN_TASKS;

  private EtcdStore store;
  private SchedulerLoop loop;

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    for (String n : List.of("n1", "n2", "n3")) {
      store.txn().create(Tables.NODES, n, Fixtures.ready(n)).commit();
    }
    loop = startLoop();
  }

  private SchedulerLoop startLoop() {
    SchedulerLoop started = new SchedulerLoop(store, Fixtures.reconciler(Clock.systemUTC(), 5));
    started.start();
    return started;
  }

  @AfterEach
  void stop() {
    loop.close();
    store.close();
  }

  private static Service withEnv(Service s, int bytes) {
    var spec = s.getSpec().toBuilder();
    spec.getContainerBuilder().addEnv("PAD=" + "x".repeat(bytes));
    return s.toBuilder().setSpec(spec).build();
  }

  private long taskCount() {
    return store.list(Tables.TASKS).items().size();
  }

  @Test
  void tasksOfALargeSpecAreWrittenInTransactionsEtcdTakes() {
    // 150 replicas with 16 KiB of env: 100 of those tasks in one transaction are 1.6 MiB, over
    // etcd's 1.5 MiB, and every tick failed before writes were split by bytes.
    store.txn().create(Tables.SERVICES, "big", withEnv(Fixtures.service("big", 150), 16 << 10)).commit();
    store.txn().create(Tables.SERVICES, "small", Fixtures.service("small", 3)).commit();

    await().atMost(Duration.ofSeconds(30)).until(() -> taskCount() == 153);
    assertThat(store.list(Tables.TASKS).items()).allSatisfy(t -> assertThat(t.getNodeId()).isNotEmpty());
  }

  @Test
  void maxReplicasOfTheLargestSpecAllowedAreCreatedAndReadBackAfterARestart() {
    // The largest spec control lets a service of MAX_REPLICAS have: 64 MiB of task specs in all.
    int pad = (int) (MAX_TASK_SPEC_BYTES / MAX_REPLICAS) - 200;
    Service big = withEnv(Fixtures.service("max", MAX_REPLICAS), pad);
    assertThat((long) big.getSpec().getSerializedSize() * MAX_REPLICAS).isLessThanOrEqualTo(MAX_TASK_SPEC_BYTES);
    store.txn().create(Tables.SERVICES, "max", big).commit();

    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).until(() -> taskCount() == MAX_REPLICAS);

    // A new scheduler (a restart, or the next leader) reads all of it back and adds nothing.
    loop.close();
    loop = startLoop();
    store.txn().create(Tables.SERVICES, "other", Fixtures.service("other", 1)).commit();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
        .until(() -> store.list(Tables.TASKS).items().stream().anyMatch(t -> t.getServiceId().equals("other")));
    assertThat(taskCount()).isEqualTo(MAX_REPLICAS + 1);
  }
}
