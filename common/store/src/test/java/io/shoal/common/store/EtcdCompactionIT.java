package io.shoal.common.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.common.errors.ShoalException;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** etcd as the project runs it compacts its history by itself (#19: nothing compacted it). */
@ExtendWith(EtcdExtension.class)
class EtcdCompactionIT {
  @Test
  void oldRevisionsAreCompactedAway(EtcdTestCluster etcd) {
    try (EtcdStore store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot())) {
      long first = store.txn().create(Tables.SERVICES, "a",
          Service.newBuilder().setId("a").setSpec(ServiceSpec.newBuilder().setName("a")).build()).commit();
      store.txn().delete(Tables.SERVICES, "a", first).commit();

      // Periodic compaction runs every retention window and keeps one window of history.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThatThrownBy(() -> store.list(Tables.SERVICES, first))
              .isInstanceOf(ShoalException.class)
              .hasMessageContaining("compacted"));
    }
  }
}
