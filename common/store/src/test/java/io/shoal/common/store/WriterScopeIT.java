package io.shoal.common.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.OpenTelemetry;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each part's store handle writes its own keys and refuses every other's, before etcd is asked. */
@ExtendWith(EtcdExtension.class)
class WriterScopeIT {
  private EtcdStore store;

  @BeforeEach
  void connect(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void eachWriterWritesItsOwnPrefixesAndNoOther() {
    for (Writer writer : Writer.values()) {
      EtcdStore own = store.writingAs(writer);
      assertThat(own.writer()).contains(writer);
      for (String prefix : OwnershipTable.prefixes()) {
        String key = prefix + "/" + writer.name().toLowerCase();
        if (writer.prefixes().contains(prefix)) {
          own.txn().putBytes(key, "x".getBytes(UTF_8), 0).commit();
          own.txn().deleteString(key, "x").commit();
        } else {
          assertThatThrownBy(() -> own.txn().putBytes(key, "x".getBytes(UTF_8), 0))
              .as("%s writing %s", writer, key)
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("the " + writer.part() + " may not write " + key);
          assertThatThrownBy(() -> own.txn().deleteString(key, "x")).isInstanceOf(IllegalStateException.class);
        }
      }
    }
    assertThat(store.listRaw("")).isEmpty();
  }

  @Test
  void typedWritesAreCheckedToo() {
    EtcdStore scheduler = store.writingAs(Writer.SCHEDULER);
    var service = io.shoal.api.v1.Service.newBuilder().setId("s1").build();

    assertThatThrownBy(() -> scheduler.txn().create(Tables.SERVICES, "s1", service))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the scheduler may not write services/s1: it writes only under tasks/, service_status/, addresses/, leader/,"
            + " metrics_endpoints/scheduler/"
            + " (ARCHITECTURE.md, Who owns what)");
    assertThatThrownBy(() -> scheduler.txn().update(Tables.SERVICES, "s1", service, 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> scheduler.txn().delete(Tables.NODES, "n1", 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.writingAs(Writer.DISPATCHER).txn().claim(Tables.INGRESS_PORTS, "tcp/80", "s1"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.writingAs(Writer.MESH_PROXY).txn().create(Tables.TASKS, "t1",
        io.shoal.api.v1.Task.getDefaultInstance())).hasMessageContaining("mesh-proxy may not write tasks/t1: it writes only under metrics_endpoints/mesh-proxy/");
    // Control stores the credentials the registry service seals, and sweeps those left without a service.
    assertThatThrownBy(() -> store.writingAs(Writer.REGISTRY).txn().delete(Tables.CREDENTIALS, "s1", 1))
        .hasMessageContaining("registry service may not write credentials/s1: it writes only under metrics_endpoints/registry/");
    // Guards only read, so they may name keys the part does not write.
    store.writingAs(Writer.SCHEDULER).txn().requireAbsent(Tables.SERVICES.name() + "/s1")
        .putBytes(Tables.SERVICE_STATUS.name() + "/s1", new byte[0], 0).commit();
    assertThat(store.listRaw(Tables.SERVICE_STATUS.name() + "/")).hasSize(1);
    assertThat(store.writingAs(Writer.CONTROL).txn().claim(Tables.SERVICE_NAMES, "web", "s1").size()).isEqualTo(1);
  }

  @Test
  void theStoreOfAServicesGraphWritesAsItsConfigSays(EtcdTestCluster etcd) {
    try (EtcdStore wired = StoreModule.store(new StoreConfig(etcd.endpoints(), store.root(), Writer.DISPATCHER),
        OpenTelemetry.noop())) {
      assertThat(wired.writer()).contains(Writer.DISPATCHER);
      assertThatThrownBy(() -> wired.txn().create(Tables.NODES, "n1", io.shoal.api.v1.Node.getDefaultInstance()))
          .hasMessageStartingWith("the dispatcher may not write nodes/n1");
      wired.txn().create(Tables.NODE_REGISTRATIONS, "n1", io.shoal.api.v1.NodeRegistration.newBuilder().setId("n1").build())
          .commit();
    }
    assertThat(store.get(Tables.NODE_REGISTRATIONS, "n1")).isPresent();
  }

  @Test
  void anUnscopedHandleWritesAnything() {
    assertThat(store.writer()).isEmpty();
    store.txn().putBytes("anything/at/all", new byte[0], 0).commit();
    assertThat(store.listRaw("anything/")).hasSize(1);
    assertThat(List.of(Writer.values())).allSatisfy(w -> assertThat(w.mayWrite("anything/at/all")).isFalse());
  }
}
