package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import io.shoal.control.ServiceManager.ImageOptions;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import io.shoal.testing.InProcessGrpcExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The automatic rollback on a real etcd: the scheduler (played here by its exact write: its status
 * about the service's version, ROLLBACK_STARTED with spec_swap_pending, in its own key) asks, and
 * control's RollbackSwapWatcher swaps spec and previous_spec, writing only control's keys. Two
 * control replicas race for it; one swap lands.
 */
@ExtendWith(EtcdExtension.class)
class AutomaticRollbackSwapIT {
  private static final Timestamp DECIDED = Timestamp.newBuilder().setSeconds(1_700_000_000).build();
  private static final String WHY = "update rolled back due to failure or early termination of task t1";

  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();
  private EtcdTestCluster etcd;
  private String root;
  private EtcdStore store;
  private ServiceManager manager;
  private final List<AutoCloseable> replicas = new ArrayList<>();

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    this.etcd = etcd;
    root = etcd.newRoot();
    store = EtcdStore.connect(etcd.endpoints(), root);
    manager = managerOn(store);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : replicas) {
      c.close();
    }
    store.close();
  }

  private ServiceManager managerOn(EtcdStore store) {
    // Nothing here resolves an image, so the registry channel is never used.
    return new ServiceManager(store, new ImagePinner(grpc.unservedChannel()), Clock.systemUTC());
  }

  /** One control replica's watcher, on its own etcd connection. */
  private void startControlReplica() {
    EtcdStore own = EtcdStore.connect(etcd.endpoints(), root).writingAs(Writer.CONTROL);
    replicas.add(own);
    replicas.add(new RollbackSwapWatcher(own, managerOn(own)).start());
  }

  private static ServiceSpec spec(String image, int port) {
    return ServiceSpec.newBuilder().setName("web").setContainer(ContainerSpec.newBuilder().setImage(image))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(2))
        .setEndpoint(EndpointSpec.newBuilder().addPorts(PortConfig.newBuilder().setProtocol(Protocol.PROTOCOL_TCP)
            .setTargetPort(80).setPublishedPort(port).setPublishMode(PublishMode.PUBLISH_MODE_INGRESS)))
        .build();
  }

  /** v1 on port 8080, updated by control to v2 on port 9090. */
  private Service updatedService() {
    Service v1 = manager.create(spec("img:1", 8080), ImageOptions.NO_RESOLVE).service();
    return manager.update(v1.getId(), v1.getVersion(), spec("img:bad", 9090), ImageOptions.NO_RESOLVE).service();
  }

  /** The scheduler's write when --update-failure-action rollback fires: its status about {@code s}. */
  private void schedulerAsksForRollback(Service s) {
    store.txn().create(Tables.SERVICE_STATUS, s.getId(), ServiceStatus.newBuilder().setServiceId(s.getId())
        .setServiceVersion(s.getVersion()).setUpdateStatus(UpdateStatus.newBuilder()
            .setState(UpdateState.UPDATE_STATE_ROLLBACK_STARTED).setStartTime(DECIDED).setMessage(WHY)
            .setSpecSwapPending(true)).build()).commit();
  }

  private Service stored(String id) {
    return store.get(Tables.SERVICES, id).orElseThrow();
  }

  /** The service as the API shows it. */
  private Service shown(String id) {
    return new ServiceQueries(store).find(id);
  }

  @Test
  void controlSwapsTheSpecsOnceWhenTheSchedulerAsks() {
    startControlReplica();
    startControlReplica();
    Service v2 = updatedService();

    schedulerAsksForRollback(v2);

    await().atMost(Duration.ofSeconds(10)).until(() -> !shown(v2.getId()).getUpdateStatus().getSpecSwapPending());
    Service back = stored(v2.getId());
    assertThat(back.getSpec()).isEqualTo(spec("img:1", 8080));
    assertThat(back.getPreviousSpec()).isEqualTo(spec("img:bad", 9090));
    assertThat(back.getUpdateStatus()).isEqualTo(UpdateStatus.newBuilder()
        .setState(UpdateState.UPDATE_STATE_ROLLBACK_STARTED).setStartTime(DECIDED).setMessage(WHY).build());
    assertThat(shown(v2.getId()).getUpdateStatus()).isEqualTo(back.getUpdateStatus());
    // The ports' index moved with the spec.
    assertThat(store.owner(Tables.INGRESS_PORTS, "tcp/8080")).contains(v2.getId());
    assertThat(store.owner(Tables.INGRESS_PORTS, "tcp/9090")).isEmpty();
    // The other replica lost the race and re-read: nothing swaps back, nothing more is written.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
        .until(() -> stored(v2.getId()).getVersion() == back.getVersion());
  }

  @Test
  void aRollbackAskedWhileNoControlRanIsSwappedWhenOneStarts() {
    Service v2 = updatedService();
    schedulerAsksForRollback(v2);

    startControlReplica();

    await().atMost(Duration.ofSeconds(10)).until(() -> !shown(v2.getId()).getUpdateStatus().getSpecSwapPending());
    assertThat(stored(v2.getId()).getSpec().getContainer().getImage()).isEqualTo("img:1");
  }

  @Test
  void aPortTakenSinceTheUpdatePausesTheUpdateAndSaysWhy() {
    startControlReplica();
    Service v2 = updatedService();
    manager.create(spec("img:1", 8080).toBuilder().setName("other").build(), ImageOptions.NO_RESOLVE);

    schedulerAsksForRollback(v2);

    await().atMost(Duration.ofSeconds(10)).until(() -> !shown(v2.getId()).getUpdateStatus().getSpecSwapPending());
    Service paused = shown(v2.getId());
    assertThat(paused.getSpec()).isEqualTo(v2.getSpec());
    assertThat(paused.getUpdateStatus().getState()).isEqualTo(UpdateState.UPDATE_STATE_PAUSED);
    assertThat(paused.getUpdateStatus().getMessage()).isEqualTo(
        "update paused due to failure or early termination of task t1; service web can't roll back:"
            + " port 8080/tcp is already published by service other; remove it there first");
  }

  @Test
  void aPreviousSpecOutsideTodaysLimitsPausesTheUpdateAndSaysWhy() {
    startControlReplica();
    Service v2 = updatedService();
    // Stored by an older control, before durations were bounded: swapping it in would stall the
    // scheduler (Instant overflow) for every service.
    ServiceSpec unbounded = v2.getPreviousSpec().toBuilder().setUpdateConfig(io.shoal.api.v1.UpdateConfig.newBuilder()
        .setDelay(com.google.protobuf.Duration.newBuilder().setSeconds(100_000_000_000_000_000L))).build();
    store.txn().update(Tables.SERVICES, v2.getId(), v2.toBuilder().setPreviousSpec(unbounded).build(),
        v2.getVersion()).commit();

    schedulerAsksForRollback(stored(v2.getId()));

    await().atMost(Duration.ofSeconds(10)).until(() -> !shown(v2.getId()).getUpdateStatus().getSpecSwapPending());
    Service paused = shown(v2.getId());
    assertThat(paused.getSpec()).isEqualTo(v2.getSpec());
    assertThat(paused.getUpdateStatus().getState()).isEqualTo(UpdateState.UPDATE_STATE_PAUSED);
    assertThat(paused.getUpdateStatus().getMessage()).isEqualTo(
        "update paused due to failure or early termination of task t1; service web can't roll back: its previous"
            + " spec is outside today's limits (UpdateConfig.delay: 100000000000000000s exceeds the limit of 3650"
            + " days (315360000s)); update the service instead");
  }

  @Test
  void aNewSpecBeforeTheSwapWins() {
    Service v2 = updatedService();
    schedulerAsksForRollback(v2);
    Service asked = stored(v2.getId());
    Service v3 = manager.update(asked.getId(), asked.getVersion(), spec("img:3", 9090), ImageOptions.NO_RESOLVE)
        .service();

    startControlReplica();

    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
        .until(() -> Optional.of(stored(v2.getId())).filter(s -> s.getVersion() == v3.getVersion()).isPresent());
    assertThat(stored(v2.getId()).getSpec().getContainer().getImage()).isEqualTo("img:3");
  }
}
