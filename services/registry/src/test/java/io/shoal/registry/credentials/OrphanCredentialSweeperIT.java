package io.shoal.registry.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Credentials without their service, in a real etcd. */
@ExtendWith(EtcdExtension.class)
class OrphanCredentialSweeperIT {
  private static final RegistryAuth AUTH = RegistryAuth.newBuilder()
      .setServerAddress("127.0.0.1:5000").setUsername("ci").setPassword("pw").build();

  private EtcdStore store;
  private CredentialStore credentials;

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    credentials = new CredentialStore(store, Optional.of(ClusterKey.generate()));
  }

  @AfterEach
  void stop() {
    store.close();
  }

  /** As control writes them: the service and its credentials in one transaction. */
  private void createService(String id) {
    store.txn()
        .create(Tables.SERVICES, id, Service.newBuilder().setId(id).setSpec(ServiceSpec.newBuilder().setName(id)).build())
        .create(Tables.CREDENTIALS, id, credentials.seal(id, AUTH))
        .commit();
  }

  @Test
  void credentialsWhoseServiceIsGoneAreRemovedAndTheOthersKept() {
    createService("kept");
    createService("crashed-mid-delete");
    store.txn().delete(Tables.SERVICES, "crashed-mid-delete",
        store.get(Tables.SERVICES, "crashed-mid-delete").orElseThrow().getVersion()).commit();
    OrphanCredentialSweeper sweeper = new OrphanCredentialSweeper(store.writingAs(io.shoal.common.store.Writer.REGISTRY), Duration.ofMinutes(10), Telemetry.noop());

    assertThat(sweeper.sweep()).isEqualTo(1);

    assertThat(credentials.get("crashed-mid-delete")).isEmpty();
    assertThat(credentials.get("kept")).hasValue(AUTH);
    assertThat(sweeper.sweep()).isZero();
  }

  @Test
  void startedItSweepsAtOnceAndThenEveryInterval() {
    createService("gone-1");
    store.txn().delete(Tables.SERVICES, "gone-1", store.get(Tables.SERVICES, "gone-1").orElseThrow().getVersion())
        .commit();

    try (OrphanCredentialSweeper sweeper =
        new OrphanCredentialSweeper(store.writingAs(io.shoal.common.store.Writer.REGISTRY), Duration.ofMillis(200), Telemetry.noop()).start()) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> credentials.get("gone-1").isEmpty());
      createService("gone-2");
      store.txn().delete(Tables.SERVICES, "gone-2", store.get(Tables.SERVICES, "gone-2").orElseThrow().getVersion())
          .commit();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> credentials.get("gone-2").isEmpty());
    }
  }
}
