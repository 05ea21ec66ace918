package io.shoal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.Service;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The scheduler as wired writes through its own handle: its keys only (nothing is sent to etcd here). */
class StoreHandleTest {
  @Test
  void theWiredStoreRefusesTheKeysOfOthers() {
    SchedulerMain flags = new SchedulerMain();
    new CommandLine(flags).parseArgs("--etcd-endpoints", "http://127.0.0.1:1");
    try (EtcdStore store = DaggerSchedulerMain_SchedulerComponent.factory().create(flags).store()) {
      assertThat(store.writer()).contains(Writer.SCHEDULER);
      assertThatThrownBy(() -> store.txn().update(Tables.SERVICES, "s1", Service.getDefaultInstance(), 1))
          .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("the scheduler may not write services/s1");
      assertThatThrownBy(() -> store.txn().create(Tables.NODES, "n1", Node.getDefaultInstance()))
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
