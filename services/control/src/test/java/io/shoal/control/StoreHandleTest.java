package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.Task;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import io.shoal.common.telemetry.Telemetry;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Control as wired writes through its own handle: its keys only (nothing is sent to etcd here). */
class StoreHandleTest {
  @Test
  void theWiredStoreRefusesTheKeysOfOthers() {
    ControlMain flags = new ControlMain();
    new CommandLine(flags).parseArgs("--etcd-endpoints", "http://127.0.0.1:1");
    try (EtcdStore store = DaggerControlMain_ControlComponent.factory().create(flags, Telemetry.noop()).store()) {
      assertThat(store.writer()).contains(Writer.CONTROL);
      assertThatThrownBy(() -> store.txn().create(Tables.TASKS, "t1", Task.getDefaultInstance()))
          .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("the control may not write tasks/t1");
      assertThatThrownBy(() -> store.txn().create(Tables.SERVICE_STATUS, "s1", ServiceStatus.getDefaultInstance()))
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
