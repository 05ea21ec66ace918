package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.shoal.api.v1.SealedCredentials;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Credentials without their service, in a real etcd, swept through control's own store handle. */
@ExtendWith(EtcdExtension.class)
class OrphanCredentialSweeperIT {
  /** What the registry service seals; the sweeper never opens it. */
  private static final SealedCredentials SEALED = SealedCredentials.newBuilder()
      .setServerAddress("127.0.0.1:5000").setKeyId("k1")
      .setNonce(ByteString.copyFromUtf8("nonce")).setCiphertext(ByteString.copyFromUtf8("sealed")).build();

  private EtcdStore store;
  private EtcdStore control;

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    control = store.writingAs(Writer.CONTROL);
  }

  @AfterEach
  void stop() {
    store.close();
  }

  /** As control writes them: the service and its credentials in one transaction. */
  private void createService(String id) {
    control.txn()
        .create(Tables.SERVICES, id, Service.newBuilder().setId(id).setSpec(ServiceSpec.newBuilder().setName(id)).build())
        .create(Tables.CREDENTIALS, id, SEALED)
        .commit();
  }

  /** What a crash between the two writes of a delete left behind before they were one transaction. */
  private void removeServiceOnly(String id) {
    control.txn().delete(Tables.SERVICES, id, control.get(Tables.SERVICES, id).orElseThrow().getVersion()).commit();
  }

  private boolean hasCredentials(String id) {
    return store.get(Tables.CREDENTIALS, id).isPresent();
  }

  @Test
  void credentialsWhoseServiceIsGoneAreRemovedAndTheOthersKept() {
    createService("kept");
    createService("crashed-mid-delete");
    removeServiceOnly("crashed-mid-delete");
    OrphanCredentialSweeper sweeper = new OrphanCredentialSweeper(control, Duration.ofMinutes(10), Telemetry.noop());

    assertThat(sweeper.sweep()).isEqualTo(1);

    assertThat(hasCredentials("crashed-mid-delete")).isFalse();
    assertThat(store.get(Tables.CREDENTIALS, "kept")).hasValueSatisfying(
        c -> assertThat(c.toBuilder().clearVersion().build()).isEqualTo(SEALED));
    assertThat(sweeper.sweep()).isZero();
  }

  @Test
  void startedItSweepsAtOnceAndThenEveryInterval() {
    createService("gone-1");
    removeServiceOnly("gone-1");

    try (OrphanCredentialSweeper sweeper =
        new OrphanCredentialSweeper(control, Duration.ofMillis(200), Telemetry.noop()).start()) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !hasCredentials("gone-1"));
      createService("gone-2");
      removeServiceOnly("gone-2");
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !hasCredentials("gone-2"));
    }
  }
}
