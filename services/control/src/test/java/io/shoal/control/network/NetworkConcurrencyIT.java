package io.shoal.control.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.IpamConfig;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.NetworkAttachmentConfig;
import io.shoal.api.v1.NetworkSpec;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.ids.Ids;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Txn;
import io.shoal.common.store.Writer;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Concurrent creates claim subnets through etcd: each gets its own, none overlap, and of two
 * overlapping given subnets only one is stored. A network removed while a service starts using
 * it: exactly one of the two wins.
 */
@ExtendWith(EtcdExtension.class)
class NetworkConcurrencyIT {
  private static final int WRITERS = 8;

  private EtcdStore root;
  private EtcdStore store;
  private NetworkManager networks;
  private final ExecutorService pool = Executors.newFixedThreadPool(WRITERS);

  @BeforeEach
  void connect(EtcdTestCluster etcd) {
    root = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    store = root.writingAs(Writer.CONTROL);
    networks = new NetworkManager(store, NetworkConfig.DEFAULT, Clock.systemUTC());
  }

  @AfterEach
  void close() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    root.close();
  }

  /** Runs every call at once (released together by a barrier) and returns each one's outcome. */
  private <T> List<Object> together(List<Callable<T>> calls) throws Exception {
    CyclicBarrier start = new CyclicBarrier(calls.size());
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> call : calls) {
      futures.add(pool.submit(() -> {
        start.await();
        return call.call();
      }));
    }
    List<Object> outcomes = new ArrayList<>();
    for (Future<T> f : futures) {
      try {
        outcomes.add(f.get(60, TimeUnit.SECONDS));
      } catch (java.util.concurrent.ExecutionException e) {
        outcomes.add(e.getCause());
      }
    }
    return outcomes;
  }

  @Test
  void concurrentCreatesEachGetTheirOwnBlock() throws Exception {
    List<Callable<Network>> creates = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      String name = "net-" + i;
      creates.add(() -> networks.create(NetworkSpec.newBuilder().setName(name).build()));
    }

    List<Object> outcomes = together(creates);

    assertThat(outcomes).allMatch(Network.class::isInstance);
    List<Cidr> subnets = outcomes.stream().map(n -> Cidr.parse(((Network) n).getIpam().getSubnet())).sorted().toList();
    List<Cidr> expected = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      expected.add(Cidr.parse("10.0." + i + ".0/24"));
    }
    assertThat(subnets).containsExactlyElementsOf(expected);
    assertThat(store.keys(Tables.SUBNETS)).hasSize(WRITERS);
    assertThat(outcomes.stream().map(n -> ((Network) n).getVxlanId()).sorted().toList())
        .containsExactlyElementsOf(IntStream.range(VxlanIds.FIRST, VxlanIds.FIRST + WRITERS).boxed().toList());
    assertThat(store.keys(VxlanIds.INDEX)).hasSize(WRITERS);
  }

  @Test
  void ofOverlappingGivenSubnetsOnlyOneIsStored() throws Exception {
    // Nested, not equal: only the counter, not the subnet's own key, makes them conflict.
    List<String> given = List.of("10.50.0.0/16", "10.50.1.0/24", "10.50.1.128/25", "10.50.0.0/20",
        "10.50.200.0/24", "10.50.1.0/29", "10.50.0.0/17", "10.50.128.0/17");
    List<Callable<Network>> creates = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      NetworkSpec spec = NetworkSpec.newBuilder().setName("given-" + i)
          .setIpam(IpamConfig.newBuilder().setSubnet(given.get(i))).build();
      creates.add(() -> networks.create(spec));
    }

    List<Object> outcomes = together(creates);

    List<Cidr> stored = store.keys(Tables.SUBNETS).stream().map(Cidr::parse).toList();
    for (Cidr a : stored) {
      for (Cidr b : stored) {
        assertThat(a.equals(b) || !a.overlaps(b)).as("%s and %s", a, b).isTrue();
      }
    }
    assertThat(outcomes.stream().filter(Network.class::isInstance)).hasSize(stored.size()).isNotEmpty();
    assertThat(outcomes.stream().filter(o -> !(o instanceof Network)))
        .allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(ShoalException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT)));
  }

  @Test
  void aNetworkRemovedWhileAServiceJoinsItIsEitherKeptOrNotJoined() throws Exception {
    NetworkAttachments attachments = new NetworkAttachments(store);
    for (int round = 0; round < 10; round++) {
      Network network = networks.create(NetworkSpec.newBuilder().setName("race-" + round).build());
      ServiceSpec spec = attachments.resolve(ServiceSpec.newBuilder().setName("svc-" + round)
          .setContainer(ContainerSpec.newBuilder().setImage("busybox"))
          .addNetworks(NetworkAttachmentConfig.newBuilder().setTarget(network.getSpec().getName())).build());
      String serviceId = Ids.newId();
      // A service's create as ServiceManager makes it: the service and the network's guard in one transaction.
      Callable<Object> join = () -> {
        Txn txn = store.txn().create(Tables.SERVICES, serviceId, Service.newBuilder().setId(serviceId).setSpec(spec).build());
        attachments.attach(txn, null, spec);
        return txn.commit();
      };
      Callable<Object> remove = () -> {
        networks.delete(network.getId());
        return "removed";
      };

      List<Object> outcomes = together(List.of(join, remove));

      boolean joined = store.get(Tables.SERVICES, serviceId).isPresent();
      boolean kept = store.get(Tables.NETWORKS, network.getId()).isPresent();
      assertThat(joined).as("round %d: %s", round, outcomes).isEqualTo(kept);
      assertThat(store.keys(Tables.SUBNETS).contains(network.getIpam().getSubnet())).isEqualTo(kept);
    }
  }
}
