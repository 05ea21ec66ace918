package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.control.ServiceManager.ImageOptions;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import io.shoal.testing.InProcessGrpcExtension;
import java.time.Clock;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code shoal service create IMAGE} without {@code --name}: control names the service, as
 * Docker does, and draws again when the name it drew is taken.
 */
@ExtendWith(EtcdExtension.class)
class UnnamedServiceIT {
  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();
  private EtcdStore store;

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
  }

  @AfterEach
  void stop() {
    store.close();
  }

  /** Draws that repeat: the first two names are the same pair of words, the third another. */
  private static final class Repeating implements RandomGenerator {
    private final int[] draws = {0, 0, 0, 0, 1, 1};
    private int next;

    @Override
    public long nextLong() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int nextInt(int bound) {
      return draws[next++ % draws.length];
    }
  }

  private static ServiceSpec unnamed() {
    return ServiceSpec.newBuilder().setContainer(ContainerSpec.newBuilder().setImage("img:1"))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(1)).build();
  }

  @Test
  void anUnnamedServiceGetsARandomNameAndATakenOneIsDrawnAgain() {
    // Nothing here resolves an image, so the registry channel is never used.
    ServiceManager manager = new ServiceManager(store, new ImagePinner(grpc.unservedChannel()), Clock.systemUTC(),
        new RandomServiceNames(new Repeating()));

    Service first = manager.create(unnamed(), ImageOptions.NO_RESOLVE).service();
    Service second = manager.create(unnamed(), ImageOptions.NO_RESOLVE).service();

    assertThat(first.getSpec().getName()).isEqualTo("agile_allen");
    assertThat(second.getSpec().getName()).isEqualTo("amber_babbage");
    assertThat(store.owner(Tables.SERVICE_NAMES, "amber_babbage")).contains(second.getId());
  }
}
