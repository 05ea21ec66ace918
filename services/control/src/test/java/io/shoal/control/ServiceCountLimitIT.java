package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import io.shoal.control.ServiceManager.ImageOptions;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import io.shoal.testing.InProcessGrpcExtension;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Services per cluster (#16, item 4) on a real etcd: a create past the bound is refused naming it; one removed, it fits again. */
@ExtendWith(EtcdExtension.class)
class ServiceCountLimitIT {
  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();
  private EtcdStore store;
  private ServiceManager manager;

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot()).writingAs(Writer.CONTROL);
    // Nothing here resolves an image, so the registry channel is never used.
    manager = new ServiceManager(store, new ImagePinner(grpc.unservedChannel()), Clock.systemUTC(),
        new RandomServiceNames(new SecureRandom()), 2);
  }

  @AfterEach
  void stop() {
    store.close();
  }

  private static ServiceSpec named(String name) {
    return ServiceSpec.newBuilder().setName(name).setContainer(ContainerSpec.newBuilder().setImage("img:1")).build();
  }

  @Test
  void aCreatePastTheMostServicesIsRefusedNamingTheBoundAndFitsOnceOneIsRemoved() {
    Service a = manager.create(named("a"), ImageOptions.NO_RESOLVE).service();
    manager.create(named("b"), ImageOptions.NO_RESOLVE);

    assertThatThrownBy(() -> manager.create(named("c"), ImageOptions.NO_RESOLVE))
        .isInstanceOfSatisfying(ShoalException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED))
        .hasMessage("the cluster has 2 services, the most it takes (2); remove one first");
    assertThat(store.count(Tables.SERVICES)).isEqualTo(2);
    assertThat(store.owner(Tables.SERVICE_NAMES, "c")).isEmpty();

    manager.delete(a.getId());
    assertThat(manager.create(named("c"), ImageOptions.NO_RESOLVE).service().getSpec().getName()).isEqualTo("c");
  }
}
