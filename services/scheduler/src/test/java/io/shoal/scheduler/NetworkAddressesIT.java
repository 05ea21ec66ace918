package io.shoal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Addresses on a real etcd: the test plays control (networks, services) and the agents; what the
 * scheduler claims in the address index is what the tasks and the service hold.
 */
@ExtendWith(EtcdExtension.class)
class NetworkAddressesIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private EtcdStore store;
  private SchedulerLoop loop;

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    for (String n : List.of("n1", "n2", "n3")) {
      store.txn().create(Tables.NODE_REGISTRATIONS, n, Fixtures.registration(n)).commit();
    }
    store.txn().create(Tables.NETWORKS, "net1", NetworkAddressesTest.network("net1", "front", "10.0.0.0/24")).commit();
    store.txn().create(Tables.NETWORKS, "net2", NetworkAddressesTest.network("net2", "small", "10.0.1.0/29")).commit();
    loop = new SchedulerLoop(store.writingAs(Writer.SCHEDULER), Fixtures.reconciler(Clock.systemUTC(), 0));
    loop.start();
  }

  @AfterEach
  void stop() {
    loop.close();
    store.close();
  }

  private List<Task> live() {
    return store.list(Tables.TASKS).items().stream()
        .filter(t -> t.getDesiredState() == TaskState.TASK_STATE_RUNNING).toList();
  }

  private Set<String> index() {
    return store.keys(Tables.ADDRESSES);
  }

  private static Set<String> keys(List<Task> tasks) {
    return tasks.stream().flatMap(t -> t.getNetworksList().stream()
        .flatMap(a -> a.getAddressesList().stream().map(addr -> a.getNetworkId() + "/" + addr.replaceFirst("/.*", ""))))
        .collect(Collectors.toSet());
  }

  private Set<String> vips(String serviceId) {
    return store.get(Tables.SERVICE_STATUS, serviceId).map(s -> s.getEndpoint().getVirtualIpsList().stream()
        .map(v -> v.getNetworkId() + "/" + v.getAddr().replaceFirst("/.*", "")).collect(Collectors.toSet()))
        .orElse(Set.of());
  }

  /** Stopped tasks are reported SHUTDOWN, as an agent would. */
  private void agentsStopWhatIsToldTo() {
    for (Task t : store.list(Tables.TASKS).items()) {
      if (t.getDesiredState() != TaskState.TASK_STATE_RUNNING && t.getStatus().getState() != TaskState.TASK_STATE_SHUTDOWN) {
        store.txn().update(Tables.TASKS, t.getId(), t.toBuilder()
            .setStatus(t.getStatus().toBuilder().setState(TaskState.TASK_STATE_SHUTDOWN)).build(), t.getVersion()).commit();
      }
    }
  }

  private void setReplicas(String id, long replicas) {
    Service s = store.get(Tables.SERVICES, id).orElseThrow();
    store.txn().update(Tables.SERVICES, id, s.toBuilder().setSpec(s.getSpec().toBuilder()
        .setReplicated(s.getSpec().getReplicated().toBuilder().setReplicas(replicas))).build(), s.getVersion()).commit();
  }

  @Test
  void aServiceGetsAVirtualIpAndItsTasksDistinctAddressesAllReleasedWhenTheyGo() {
    Service web3 = NetworkAddressesTest.onNetwork(Fixtures.service("web", 3), "net1");
    // Restarted at once, so the failure below is replaced without waiting Swarm's 5 s.
    web3 = web3.toBuilder().setSpec(web3.getSpec().toBuilder().setRestartPolicy(io.shoal.api.v1.RestartPolicy.newBuilder()
        .setDelay(com.google.protobuf.Duration.getDefaultInstance()))).build();
    store.txn().create(Tables.SERVICES, "web", web3).commit();

    await().atMost(WAIT).until(() -> live().size() == 3
        && live().stream().allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_ASSIGNED));
    assertThat(vips("web")).containsExactly("net1/10.0.0.2");
    assertThat(keys(live())).hasSize(3).doesNotContain("net1/10.0.0.2");
    assertThat(index()).isEqualTo(union(keys(live()), vips("web")));
    assertThat(store.owner(Tables.ADDRESSES, "net1/10.0.0.2")).contains("web");

    // A task fails: its address goes back at once, though the task stays (as history would).
    Task failed = live().get(0);
    store.txn().update(Tables.TASKS, failed.getId(), failed.toBuilder()
        .setStatus(failed.getStatus().toBuilder().setState(TaskState.TASK_STATE_FAILED)).build(), failed.getVersion())
        .commit();
    await().atMost(WAIT).until(() -> live().size() == 3
        && live().stream().allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_ASSIGNED && t.getNetworksCount() == 1)
        && index().equals(union(keys(live()), vips("web"))));
    assertThat(index()).hasSize(4);

    // Scaling down: the stopped task is deleted (no history kept) and its address released.
    setReplicas("web", 1);
    await().atMost(WAIT).until(() -> {
      agentsStopWhatIsToldTo();
      return store.list(Tables.TASKS).items().size() == 1;
    });
    await().atMost(WAIT).until(() -> index().equals(union(keys(live()), vips("web"))));
    assertThat(index()).hasSize(2);

    // The service goes: its virtual IP with its status, its tasks' addresses with them.
    Service web = store.get(Tables.SERVICES, "web").orElseThrow();
    store.txn().delete(Tables.SERVICES, "web", web.getVersion()).commit();
    await().atMost(WAIT).until(() -> {
      agentsStopWhatIsToldTo();
      return store.list(Tables.TASKS).items().isEmpty() && store.get(Tables.SERVICE_STATUS, "web").isEmpty();
    });
    assertThat(index()).isEmpty();
  }

  @Test
  void tasksStayPendingWhenTheNetworkRunsOut() {
    // A /29 with its gateway holds five: the virtual IP and four tasks.
    store.txn().create(Tables.SERVICES, "api", NetworkAddressesTest.onNetwork(Fixtures.service("api", 6), "net2")).commit();

    await().atMost(WAIT).until(() -> live().size() == 6
        && live().stream().filter(t -> t.getStatus().getState() == TaskState.TASK_STATE_ASSIGNED).count() == 4);
    assertThat(live()).filteredOn(t -> t.getStatus().getState() == TaskState.TASK_STATE_PENDING).hasSize(2)
        .allSatisfy(t -> {
          assertThat(t.getStatus().getErr()).isEqualTo("no IP address available on network small");
          assertThat(t.getNodeId()).isEmpty();
          assertThat(t.getSlot()).isGreaterThan(4);
        });
    assertThat(index()).hasSize(5);

    // The pending ones are the highest slots (addresses go lowest slot first): scaling to 4
    // removes them, and the rest keep their addresses.
    setReplicas("api", 4);
    await().atMost(WAIT).until(() -> {
      agentsStopWhatIsToldTo();
      return live().size() == 4
          && live().stream().allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_ASSIGNED);
    });
    await().atMost(WAIT).until(() -> index().equals(union(keys(live()), vips("api"))));
  }

  /** Assigned tasks run and stopped ones are SHUTDOWN, as the agents would report. */
  private void agentsRunAndStopAsTold() {
    agentsStopWhatIsToldTo();
    for (Task t : live()) {
      if (t.getStatus().getState() == TaskState.TASK_STATE_ASSIGNED) {
        store.txn().update(Tables.TASKS, t.getId(), t.toBuilder()
            .setStatus(t.getStatus().toBuilder().setState(TaskState.TASK_STATE_RUNNING)).build(), t.getVersion()).commit();
      }
    }
  }

  private Set<String> networksOfLiveTasks() {
    return live().stream().flatMap(t -> t.getNetworksList().stream().map(a -> a.getNetworkId())).collect(Collectors.toSet());
  }

  @Test
  void networkAddAndRmRollTheTasksAndMoveTheirAddresses() {
    Service web = NetworkAddressesTest.onNetwork(Fixtures.service("web", 2), "net1");
    web = web.toBuilder().setSpec(web.getSpec().toBuilder().setUpdateConfig(io.shoal.api.v1.UpdateConfig.newBuilder()
        .setParallelism(0).setMonitor(com.google.protobuf.Duration.getDefaultInstance()))).build();
    store.txn().create(Tables.SERVICES, "web", web).commit();
    await().atMost(WAIT).until(() -> {
      agentsRunAndStopAsTold();
      return live().size() == 2 && live().stream().allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_RUNNING);
    });
    Set<String> before = live().stream().map(Task::getId).collect(Collectors.toSet());

    // --network-add net2
    Service v1 = store.get(Tables.SERVICES, "web").orElseThrow();
    Service v2 = NetworkAddressesTest.onNetwork(v1, "net2").toBuilder().setPreviousSpec(v1.getSpec()).build();
    store.txn().update(Tables.SERVICES, "web", v2, v1.getVersion()).commit();
    await().atMost(WAIT).until(() -> {
      agentsRunAndStopAsTold();
      return live().size() == 2 && live().stream().noneMatch(t -> before.contains(t.getId()))
          && live().stream().allMatch(t -> t.getNetworksCount() == 2);
    });
    await().atMost(WAIT).until(() -> vips("web").size() == 2 && index().equals(union(keys(live()), vips("web"))));

    // --network-rm net1
    Service stored = store.get(Tables.SERVICES, "web").orElseThrow();
    Service v3 = stored.toBuilder().setPreviousSpec(stored.getSpec())
        .setSpec(stored.getSpec().toBuilder().removeNetworks(0)).build();
    store.txn().update(Tables.SERVICES, "web", v3, stored.getVersion()).commit();
    await().atMost(WAIT).until(() -> {
      agentsRunAndStopAsTold();
      return live().size() == 2 && networksOfLiveTasks().equals(Set.of("net2"))
          && live().stream().allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_RUNNING);
    });
    await().atMost(WAIT).until(() -> vips("web").size() == 1 && index().equals(union(keys(live()), vips("web"))));
    assertThat(index()).allMatch(k -> k.startsWith("net2/"));
  }

  private void setMode(String id, io.shoal.api.v1.EndpointMode mode) {
    Service s = store.get(Tables.SERVICES, id).orElseThrow();
    store.txn().update(Tables.SERVICES, id, NetworkAddressesTest.withMode(s, mode), s.getVersion()).commit();
  }

  @Test
  void dnsrrHoldsNoVirtualIpAndChangingModeReleasesOrClaimsItWithoutRollingTheTasks() {
    Service dnsrr = NetworkAddressesTest.withMode(NetworkAddressesTest.onNetwork(Fixtures.service("web", 2), "net1"),
        io.shoal.api.v1.EndpointMode.ENDPOINT_MODE_DNSRR);
    store.txn().create(Tables.SERVICES, "web", dnsrr).commit();
    await().atMost(WAIT).until(() -> live().size() == 2
        && live().stream().allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_ASSIGNED));
    assertThat(vips("web")).isEmpty();
    assertThat(index()).isEqualTo(keys(live()));
    Set<String> tasks = live().stream().map(Task::getId).collect(Collectors.toSet());

    setMode("web", io.shoal.api.v1.EndpointMode.ENDPOINT_MODE_VIP);
    await().atMost(WAIT).until(() -> vips("web").size() == 1);
    assertThat(index()).isEqualTo(union(keys(live()), vips("web")));
    String vip = vips("web").iterator().next();
    assertThat(store.owner(Tables.ADDRESSES, vip)).contains("web");

    setMode("web", io.shoal.api.v1.EndpointMode.ENDPOINT_MODE_DNSRR);
    await().atMost(WAIT).until(() -> vips("web").isEmpty() && index().equals(keys(live())));
    assertThat(store.owner(Tables.ADDRESSES, vip)).isEmpty();
    assertThat(live()).extracting(Task::getId).containsExactlyInAnyOrderElementsOf(tasks);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(Collectors.toSet());
  }

  @Test
  void anAddressTheIndexGivesToNoTaskOrServiceIsNotHandedOut() {
    // Left by a hand edit (or a bug): claiming it would fail every time.
    store.txn().claim(Tables.ADDRESSES, "net1/10.0.0.2", "ghost").commit();
    store.txn().create(Tables.SERVICES, "web", NetworkAddressesTest.onNetwork(Fixtures.service("web", 2), "net1")).commit();

    await().atMost(WAIT).until(() -> live().size() == 2
        && live().stream().allMatch(t -> t.getStatus().getState() == TaskState.TASK_STATE_ASSIGNED));
    assertThat(vips("web")).containsExactly("net1/10.0.0.3");
    assertThat(keys(live())).containsExactlyInAnyOrder("net1/10.0.0.4", "net1/10.0.0.5");
    assertThat(store.owner(Tables.ADDRESSES, "net1/10.0.0.2")).contains("ghost");
  }

  @Test
  void twoSchedulersWritingAtOnceNeverGiveOneAddressTwice(EtcdTestCluster etcd) {
    // A deposed leader whose term overlaps its successor's, without the fencing that stops it:
    // the index alone keeps addresses apart.
    try (EtcdStore other = EtcdStore.connect(etcd.endpoints(), store.root());
        SchedulerLoop second = new SchedulerLoop(other.writingAs(Writer.SCHEDULER), Fixtures.reconciler(Clock.systemUTC(), 0))) {
      second.start();
      for (int i = 0; i < 4; i++) {
        store.txn().create(Tables.SERVICES, "s" + i, NetworkAddressesTest.onNetwork(Fixtures.service("s" + i, 3), "net1"))
            .commit();
      }

      await().atMost(WAIT).until(() -> live().size() >= 12 && live().stream().allMatch(t -> t.getNetworksCount() == 1)
          && java.util.stream.IntStream.range(0, 4).allMatch(i -> vips("s" + i).size() == 1));
      List<String> given = new java.util.ArrayList<>();
      live().forEach(t -> given.add(t.getNetworks(0).getAddresses(0)));
      java.util.stream.IntStream.range(0, 4).forEach(i -> given.addAll(vips("s" + i)));
      assertThat(given.stream().map(a -> a.replaceFirst("^net1/", "").replaceFirst("/.*", ""))).doesNotHaveDuplicates();
      await().atMost(WAIT).until(() -> index().equals(union(keys(live()),
          union(union(vips("s0"), vips("s1")), union(vips("s2"), vips("s3"))))));
    }
  }
}
