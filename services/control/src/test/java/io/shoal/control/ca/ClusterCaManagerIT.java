package io.shoal.control.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.ClusterCa;
import io.shoal.common.pki.ClusterKey;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Writer;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Control with {@code --pki-dir}: the CA made offline is adopted into etcd, or must be etcd's. */
@ExtendWith(EtcdExtension.class)
class ClusterCaManagerIT {
  private final ClusterKey key = ClusterKey.generate();

  @Test
  void theOfflineCaIsStoredWhenEtcdHasNoneAndLoadedByTheNextControl(EtcdTestCluster etcd, @TempDir Path pki) {
    ClusterCa offline = ClusterCa.create(Instant.now());
    offline.save(pki, key);
    try (EtcdStore store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot()).writingAs(Writer.CONTROL)) {
      ClusterCaManager first = new ClusterCaManager(store, Optional.of(key), Optional.of(pki), Clock.systemUTC());
      first.start();
      assertThat(first.root()).isEqualTo(offline.root());

      ClusterCaManager fromEtcd = new ClusterCaManager(store, Optional.of(key), Clock.systemUTC());
      fromEtcd.start();
      assertThat(fromEtcd.root()).isEqualTo(offline.root());
      assertThat(fromEtcd.tokens().worker().caDigest()).isEqualTo(offline.root().digest());
    }
  }

  @Test
  void controlRefusesToStartWhenEtcdHoldsAnotherCaNamingBoth(EtcdTestCluster etcd, @TempDir Path pki) {
    ClusterCa other = ClusterCa.create(Instant.now());
    other.save(pki, key);
    try (EtcdStore store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot()).writingAs(Writer.CONTROL)) {
      ClusterCaManager created = new ClusterCaManager(store, Optional.of(key), Clock.systemUTC());
      created.start();

      assertThatThrownBy(() -> new ClusterCaManager(store, Optional.of(key), Optional.of(pki), Clock.systemUTC()).start())
          .isInstanceOfSatisfying(ShoalException.class,
              e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
          .hasMessage("the cluster CA in etcd is " + created.root().digest() + " but --pki-dir " + pki + " holds "
              + other.root().digest() + ": give control the pki directory its cluster was made with");
    }
  }

  @Test
  void aPkiDirWithoutTheClusterKeyIsRefused(EtcdTestCluster etcd, @TempDir Path pki) {
    try (EtcdStore store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot()).writingAs(Writer.CONTROL)) {
      assertThatThrownBy(() -> new ClusterCaManager(store, Optional.empty(), Optional.of(pki), Clock.systemUTC()).start())
          .hasMessageContaining("--cluster-key-file");
    }
  }
}
