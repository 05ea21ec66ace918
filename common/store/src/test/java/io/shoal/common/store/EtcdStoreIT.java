package io.shoal.common.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Service;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EtcdExtension.class)
class EtcdStoreIT {
  private EtcdStore store;

  @BeforeEach
  void connect(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Service service(String id, String name) {
    return Service.newBuilder().setId(id).setSpec(ServiceSpec.newBuilder().setName(name)).build();
  }

  @Test
  void readsCarryTheModRevisionAsVersion() {
    long rev = store.txn().create(Tables.SERVICES, "a", service("a", "web")).commit();

    Service read = store.get(Tables.SERVICES, "a").orElseThrow();

    assertThat(read.getVersion()).isEqualTo(rev);
    assertThat(read.getSpec().getName()).isEqualTo("web");
  }

  @Test
  void staleVersionIsAConflictAndWritesNothing() {
    long v1 = store.txn().create(Tables.SERVICES, "a", service("a", "web")).commit();
    store.txn().update(Tables.SERVICES, "a", service("a", "web2"), v1).commit();

    Txn stale = store.txn()
        .update(Tables.SERVICES, "a", service("a", "web3"), v1)
        .createString(Tables.SERVICE_NAMES + "/web3", "a");

    assertThatThrownBy(stale::commit).isInstanceOf(ConflictException.class);
    assertThat(store.get(Tables.SERVICES, "a").orElseThrow().getSpec().getName()).isEqualTo("web2");
    assertThat(store.getString(Tables.SERVICE_NAMES + "/web3")).isEmpty();
  }

  @Test
  void createFailsWhenTheKeyExists() {
    store.txn().create(Tables.SERVICES, "a", service("a", "web")).commit();

    assertThatThrownBy(() -> store.txn().create(Tables.SERVICES, "a", service("a", "x")).commit())
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void cacheSeesTheListingThenEveryLaterChange() {
    store.txn().create(Tables.SERVICES, "a", service("a", "web")).commit();
    List<Change<?>> seen = new CopyOnWriteArrayList<>();
    try (StoreCache cache = new StoreCache(store, List.of(Tables.SERVICES, Tables.TASKS), seen::addAll).start()) {
      assertThat(cache.view(Tables.SERVICES)).containsKey("a");

      long v = cache.get(Tables.SERVICES, "a").orElseThrow().getVersion();
      store.txn().create(Tables.SERVICES, "b", service("b", "db")).commit();
      store.txn().delete(Tables.SERVICES, "a", v).commit();

      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
      assertThat(seen.get(0)).isInstanceOf(Change.Put.class);
      assertThat(seen.get(1)).isInstanceOfSatisfying(Change.Put.class,
          p -> assertThat(p.id()).isEqualTo("b"));
      assertThat(seen.get(2)).isInstanceOfSatisfying(Change.Delete.class,
          d -> assertThat(d.id()).isEqualTo("a"));
      assertThat(cache.view(Tables.SERVICES).keySet()).containsExactly("b");
    }
  }
}
