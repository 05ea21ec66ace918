package io.shoal.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How writes are packed into transactions; nothing is sent (the store has no client). */
class TxnBatchesTest {
  private final EtcdStore store = new EtcdStore(null, "/t/");
  private final BiConsumer<Txn, Task> create = (txn, t) -> txn.create(Tables.TASKS, t.getId(), t);

  private static Task task(int i, int envBytes) {
    return Task.newBuilder().setId("t" + i)
        .setSpec(ServiceSpec.newBuilder().setContainer(
            ContainerSpec.newBuilder().setImage("web").addEnv("X=" + "x".repeat(envBytes))))
        .build();
  }

  private static List<Task> tasks(int count, int envBytes) {
    return IntStream.range(0, count).mapToObj(i -> task(i, envBytes)).toList();
  }

  @Test
  void smallWritesArePackedByCount() {
    var batches = TxnBatches.of(store, tasks(250, 10), create, txn -> {});

    assertThat(batches).extracting(b -> b.items().size()).containsExactly(100, 100, 50);
  }

  @Test
  void largeWritesArePackedByBytes() {
    // 150 tasks of 16 KiB: by count alone the first transaction would carry 1.6 MiB.
    var batches = TxnBatches.of(store, tasks(150, 16 << 10), create, txn -> {});

    assertThat(batches).hasSizeGreaterThan(2);
    assertThat(batches).allSatisfy(b -> assertThat(bytesOf(b.items())).isLessThanOrEqualTo(TxnBatches.MAX_BYTES));
    assertThat(batches.stream().mapToInt(b -> b.items().size()).sum()).isEqualTo(150);
  }

  @Test
  void aWriteLargerThanTheBoundGoesAlone() {
    List<Task> items = new ArrayList<>(tasks(3, 10));
    items.add(1, task(99, 2 << 20));

    var batches = TxnBatches.of(store, items, create, txn -> {});

    assertThat(batches).extracting(b -> b.items().size()).containsExactly(1, 1, 2);
    assertThat(batches.get(1).items()).extracting(Task::getId).containsExactly("t99");
  }

  @Test
  void theGuardCountsInEveryBatch() {
    var batches = TxnBatches.of(store, tasks(150, 10), create,
        txn -> txn.requireValue("leader", "me"), 50, TxnBatches.MAX_BYTES);

    // 50 operations each; the guard is a compare, not an operation.
    assertThat(batches).extracting(b -> b.items().size()).containsExactly(50, 50, 50);
  }

  private long bytesOf(List<Task> items) {
    Txn txn = store.txn();
    items.forEach(t -> create.accept(txn, t));
    return txn.bytes();
  }
}
