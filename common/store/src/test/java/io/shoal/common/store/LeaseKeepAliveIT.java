package io.shoal.common.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A lease kept alive over the shared stream lives past its TTL, and says when it is gone. */
@ExtendWith(EtcdExtension.class)
class LeaseKeepAliveIT {
  private EtcdStore store;
  private final AtomicInteger lost = new AtomicInteger();

  @BeforeEach
  void connect(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
  }

  @AfterEach
  void close() {
    store.close();
  }

  private long leaseWithKey(String key) {
    long lease = store.grantLease(2);
    store.txn().putBytes(key, "x".getBytes(StandardCharsets.UTF_8), lease).commit();
    return lease;
  }

  private boolean present(String key) {
    return !store.listRaw(key).isEmpty();
  }

  @Test
  void aKeptLeaseOutlivesItsTtlAndLapsesOnceClosed() throws Exception {
    long lease = leaseWithKey("kept");
    AutoCloseable keeper = store.keepLeaseAlive(lease, lost::incrementAndGet);

    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> present("kept"));

    keeper.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !present("kept"));
    assertThat(lost).hasValue(0); // closing is not losing
  }

  @Test
  void aLeaseRevokedElsewhereIsReportedLostOnce() {
    long lease = leaseWithKey("revoked");
    store.keepLeaseAlive(lease, lost::incrementAndGet);

    store.revokeLease(lease);

    await().atMost(Duration.ofSeconds(10)).until(() -> lost.get() == 1);
    await().during(Duration.ofSeconds(2)).until(() -> lost.get() == 1);
  }
}
