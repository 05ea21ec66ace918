package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.io.IOException;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * UpdateService and the update status: control resets it with a new spec and sets
 * ROLLBACK_STARTED for `service rollback`; it never swaps the spec back (the scheduler runs the
 * previous spec while the status is a rollback state).
 */
@ExtendWith(EtcdExtension.class)
class ServiceRollbackIT {
  private EtcdStore store;
  private Server server;
  private ManagedChannel channel;
  private ControlServiceGrpc.ControlServiceBlockingStub control;

  @BeforeEach
  void start(EtcdTestCluster etcd) throws IOException {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    String name = InProcessServerBuilder.generateName();
    // Every call here passes no_resolve_image, so the registry channel is never used.
    ManagedChannel unusedRegistry = InProcessChannelBuilder.forName(name + "-registry").directExecutor().build();
    ServiceManager manager = new ServiceManager(store, new ImagePinner(unusedRegistry), Clock.systemUTC());
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new ControlGrpcService(manager)).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    control = ControlServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    store.close();
  }

  private static ServiceSpec spec(String image) {
    return ServiceSpec.newBuilder().setName("web").setContainer(ContainerSpec.newBuilder().setImage(image))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(2)).build();
  }

  private Service update(Service s, ServiceSpec spec) {
    return control.updateService(UpdateServiceRequest.newBuilder().setServiceId(s.getId())
        .setVersion(s.getVersion()).setSpec(spec).setNoResolveImage(true).build()).getService();
  }

  private Service rollback(Service s) {
    return control.updateService(UpdateServiceRequest.newBuilder().setServiceId(s.getId())
        .setVersion(s.getVersion()).setRollback(true).build()).getService();
  }

  /** What the scheduler writes while an update rolls. */
  private Service schedulerWrites(Service s, UpdateState state) {
    Service withStatus = s.toBuilder().setUpdateStatus(UpdateStatus.newBuilder().setState(state)).build();
    long revision = store.txn().update(Tables.SERVICES, s.getId(), withStatus, s.getVersion()).commit();
    return withStatus.toBuilder().setVersion(revision).build();
  }

  @Test
  void rollbackAsksTheSchedulerForThePreviousSpecAndAnUpdateBuildsOnIt() {
    Service v1 = control.createService(CreateServiceRequest.newBuilder().setSpec(spec("img:1"))
        .setNoResolveImage(true).build()).getService();
    Service v2 = schedulerWrites(update(v1, spec("img:2")), UpdateState.UPDATE_STATE_PAUSED);

    Service rolling = rollback(v2);

    assertThat(rolling.getSpec()).isEqualTo(v2.getSpec());
    assertThat(rolling.getPreviousSpec()).isEqualTo(v1.getSpec());
    assertThat(rolling.getUpdateStatus().getState()).isEqualTo(UpdateState.UPDATE_STATE_ROLLBACK_STARTED);
    assertThat(rolling.getUpdateStatus().getMessage()).isEqualTo("manually requested rollback");
    assertThat(store.get(Tables.SERVICES, v1.getId()).orElseThrow().getUpdateStatus())
        .isEqualTo(rolling.getUpdateStatus());

    // After the rollback the tasks run img:1: a new spec makes that the previous one, and
    // clears the status for the scheduler to write afresh.
    Service rolledBack = schedulerWrites(rolling, UpdateState.UPDATE_STATE_ROLLBACK_COMPLETED);
    Service v3 = update(rolledBack, spec("img:3"));
    assertThat(v3.getPreviousSpec().getContainer().getImage()).isEqualTo("img:1");
    assertThat(v3.hasUpdateStatus()).isFalse();
  }

  @Test
  void rollingBackARollbackGoesForwardAgain() {
    Service v1 = control.createService(CreateServiceRequest.newBuilder().setSpec(spec("img:1"))
        .setNoResolveImage(true).build()).getService();
    Service rolling = rollback(update(v1, spec("img:2")));

    Service forward = rollback(rolling);

    assertThat(forward.getSpec().getContainer().getImage()).isEqualTo("img:2");
    assertThat(forward.hasUpdateStatus()).isFalse();
  }

  @Test
  void nothingToRollBackToIsFailedPrecondition() {
    Service v1 = control.createService(CreateServiceRequest.newBuilder().setSpec(spec("img:1"))
        .setNoResolveImage(true).build()).getService();

    assertThatThrownBy(() -> rollback(v1)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(e.getStatus().getDescription())
          .isEqualTo("service web has no previous spec to roll back to; it was never updated");
    });
  }

  @Test
  void aStaleVersionIsAborted() {
    Service v1 = control.createService(CreateServiceRequest.newBuilder().setSpec(spec("img:1"))
        .setNoResolveImage(true).build()).getService();
    Service v2 = update(v1, spec("img:2"));
    schedulerWrites(v2, UpdateState.UPDATE_STATE_UPDATING);

    assertThatThrownBy(() -> rollback(v2)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
  }
}
