package io.shoal.common.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The size cliffs between Shoal and etcd (#19): whole-table reads, big transactions, bad values. */
@ExtendWith(EtcdExtension.class)
class StoreLimitsIT {
  private EtcdStore store;

  @BeforeEach
  void connect(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Task task(int i, int envBytes) {
    return Task.newBuilder().setId(String.format("t%05d", i)).setServiceId("s")
        .setSpec(ServiceSpec.newBuilder().setName("s").setContainer(
            ContainerSpec.newBuilder().setImage("web").addEnv("X=" + "x".repeat(envBytes))))
        .build();
  }

  private List<Task> tasks(int count, int envBytes) {
    return IntStream.range(0, count).mapToObj(i -> task(i, envBytes)).toList();
  }

  private TxnBatches.Outcome<Task> writeAll(List<Task> tasks) {
    TxnBatches.Outcome<Task> all = null;
    for (var batch : TxnBatches.of(store, tasks, (txn, t) -> txn.create(Tables.TASKS, t.getId(), t), txn -> {})) {
      var outcome = batch.commit();
      assertThat(outcome.conflicted()).isEmpty();
      assertThat(outcome.refused()).isEmpty();
      all = outcome;
    }
    return all;
  }

  @Test
  void aTableLargerThanOneGrpcMessageIsListedWhole() {
    // 1,200 tasks of 8 KiB: ~10 MiB, over jetcd's 4 MiB default message in one response.
    writeAll(tasks(1_200, 8 << 10));

    Listing<Task> listing = store.list(Tables.TASKS);

    assertThat(listing.items()).hasSize(1_200);
    assertThat(listing.items()).extracting(Task::getId).doesNotHaveDuplicates();
  }

  @Test
  void pagesOfOneListingShareOneRevision() {
    writeAll(tasks(EtcdStore.PAGE_KEYS + 10, 10));
    long before = store.list(Tables.TASKS).revision();
    store.txn().create(Tables.TASKS, "zzz", task(99_999, 10)).commit();

    Listing<Task> old = store.list(Tables.TASKS, before);

    assertThat(old.revision()).isEqualTo(before);
    assertThat(old.items()).hasSize(EtcdStore.PAGE_KEYS + 10);
  }

  @Test
  void manyLargeWritesLandInTransactionsEtcdTakes() {
    // 150 tasks carrying 16 KiB each: 100 of them in one transaction are over etcd's 1.5 MiB.
    List<Task> tasks = tasks(150, 16 << 10);

    var batches = TxnBatches.of(store, tasks, (txn, t) -> txn.create(Tables.TASKS, t.getId(), t), txn -> {});
    int committed = 0;
    for (var batch : batches) {
      committed += batch.commit().committed().size();
    }

    assertThat(committed).isEqualTo(150);
    assertThat(store.list(Tables.TASKS).items()).hasSize(150);
  }

  @Test
  void aWriteEtcdRefusesAloneIsSetAsideAndTheRestLand() {
    Task huge = task(0, 2 << 20); // over etcd's 1.5 MiB request limit on its own
    long refusedBefore = StoreMetrics.refusedWrites();

    var batch = TxnBatches.of(store, List.of(huge), (txn, t) -> txn.create(Tables.TASKS, t.getId(), t), txn -> {},
        100, Long.MAX_VALUE).get(0);
    var outcome = batch.commit();

    assertThat(outcome.refused()).containsExactly(huge);
    assertThat(StoreMetrics.refusedWrites()).isEqualTo(refusedBefore + 1);
  }

  @Test
  void aBatchRefusedForItsSizeIsWrittenOneByOne() {
    // Packed as if etcd took 4 MiB, the batch is refused; each write alone fits.
    List<Task> tasks = tasks(40, 64 << 10);
    var batches = TxnBatches.of(store, tasks, (txn, t) -> txn.create(Tables.TASKS, t.getId(), t), txn -> {},
        100, 4L << 20);
    assertThat(batches).hasSize(1);

    var outcome = batches.get(0).commit();

    assertThat(outcome.committed()).hasSize(40);
    assertThat(store.list(Tables.TASKS).items()).hasSize(40);
  }

  @Test
  void aCorruptValueIsSkippedByEveryReader() throws Exception {
    writeAll(tasks(3, 10));
    Map<String, Task> seen = new ConcurrentHashMap<>();
    try (StoreCache cache = new StoreCache(store, List.of(Tables.TASKS), changes -> changes.forEach(c -> {
      if (c instanceof Change.Put<?> put) {
        seen.put(put.id(), (Task) put.value());
      } else {
        seen.remove(c.id());
      }
    })).start()) {
      long corruptBefore = StoreMetrics.corruptValues();

      putRaw("tasks/t00001", new byte[] {(byte) 0xff, (byte) 0xff, 0x01}); // not a Task
      putRaw("tasks/bad", new byte[] {0x0a, (byte) 0x80}); // a truncated field
      store.txn().create(Tables.TASKS, "t00009", task(9, 10)).commit();

      await().atMost(Duration.ofSeconds(10)).until(() -> seen.containsKey("t00009"));
      assertThat(seen).doesNotContainKeys("t00001", "bad").containsKeys("t00000", "t00002");
      assertThat(store.list(Tables.TASKS).items()).extracting(Task::getId)
          .containsExactly("t00000", "t00002", "t00009");
      assertThat(store.get(Tables.TASKS, "bad")).isEmpty();
      assertThat(StoreMetrics.corruptValues()).isGreaterThanOrEqualTo(corruptBefore + 2);
    }
  }

  private void putRaw(String path, byte[] value) throws Exception {
    store.client().getKVClient().put(ByteSequence.from(store.root() + path, UTF_8), ByteSequence.from(value))
        .get();
  }
}
