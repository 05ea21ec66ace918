package io.shoal.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.Node;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import io.shoal.common.telemetry.Telemetry;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The dispatcher as wired writes through its own handle: its keys only (nothing is sent to etcd here). */
class StoreHandleTest {
  @Test
  void theWiredStoreRefusesTheKeysOfOthers() {
    DispatcherMain flags = new DispatcherMain();
    new CommandLine(flags).parseArgs("--etcd-endpoints", "http://127.0.0.1:1");
    try (EtcdStore store = DaggerDispatcherMain_DispatcherComponent.factory().create(flags, Telemetry.noop()).store()) {
      assertThat(store.writer()).contains(Writer.DISPATCHER);
      assertThatThrownBy(() -> store.txn().create(Tables.NODES, "n1", Node.getDefaultInstance()))
          .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("the dispatcher may not write nodes/n1");
    }
  }
}
