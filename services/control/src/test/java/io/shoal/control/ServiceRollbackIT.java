package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.GetServiceRequest;
import io.shoal.api.v1.ListServicesRequest;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * UpdateService and the update status: control resets it with a new spec; `service rollback`
 * swaps spec and previous_spec (ports and their index with them) in the transaction that sets
 * ROLLBACK_STARTED, as Swarm does.
 */
class ServiceRollbackIT {
  @RegisterExtension final InProcessControl cluster = new InProcessControl();
  private final EtcdStore store = cluster.store;
  private final ControlServiceGrpc.ControlServiceBlockingStub control = cluster.stub;

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

  /** What the scheduler writes while an update rolls: its status, in its own key, about this version. */
  private Service schedulerWrites(Service s, UpdateStatus status) {
    var key = store.get(Tables.SERVICE_STATUS, s.getId());
    ServiceStatus written = ServiceStatus.newBuilder().setServiceId(s.getId()).setServiceVersion(s.getVersion())
        .setUpdateStatus(status).build();
    if (key.isPresent()) {
      store.txn().update(Tables.SERVICE_STATUS, s.getId(), written, key.get().getVersion()).commit();
    } else {
      store.txn().create(Tables.SERVICE_STATUS, s.getId(), written).commit();
    }
    return s.toBuilder().setUpdateStatus(status).build();
  }

  private Service schedulerWrites(Service s, UpdateState state) {
    return schedulerWrites(s, UpdateStatus.newBuilder().setState(state).build());
  }

  @Test
  void rollbackSwapsSpecAndPreviousSpecAndAnUpdateBuildsOnIt() {
    Service v1 = control.createService(CreateServiceRequest.newBuilder().setSpec(spec("img:1"))
        .setNoResolveImage(true).build()).getService();
    Service v2 = schedulerWrites(update(v1, spec("img:2")), UpdateState.UPDATE_STATE_PAUSED);

    Service rolling = rollback(v2);

    assertThat(rolling.getSpec()).isEqualTo(v1.getSpec());
    assertThat(rolling.getPreviousSpec()).isEqualTo(v2.getSpec());
    assertThat(rolling.getUpdateStatus().getState()).isEqualTo(UpdateState.UPDATE_STATE_ROLLBACK_STARTED);
    assertThat(rolling.getUpdateStatus().getMessage()).isEqualTo("manually requested rollback");
    Service stored = store.get(Tables.SERVICES, v1.getId()).orElseThrow();
    assertThat(stored.getSpec()).isEqualTo(v1.getSpec());
    assertThat(stored.getPreviousSpec()).isEqualTo(v2.getSpec());
    assertThat(stored.getUpdateStatus()).isEqualTo(rolling.getUpdateStatus());

    // The next update starts from the spec that runs; the failed one is gone.
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
    assertThat(forward.getPreviousSpec().getContainer().getImage()).isEqualTo("img:1");
    assertThat(forward.getUpdateStatus().getState()).isEqualTo(UpdateState.UPDATE_STATE_ROLLBACK_STARTED);
  }

  @Test
  void aRollbackKeepsTheNameAndTakesBackTheReplicas() {
    Service v1 = control.createService(CreateServiceRequest.newBuilder().setSpec(spec("img:1"))
        .setNoResolveImage(true).build()).getService();
    Service renamed = update(v1, spec("img:1").toBuilder().setName("web2")
        .setReplicated(ReplicatedService.newBuilder().setReplicas(5)).build());

    Service back = rollback(renamed);

    assertThat(back.getSpec().getName()).isEqualTo("web2");
    assertThat(back.getSpec().getReplicated().getReplicas()).isEqualTo(2);
    assertThat(control.getService(io.shoal.api.v1.GetServiceRequest.newBuilder().setService("web2").build())
        .getService().getId()).isEqualTo(v1.getId());
  }

  @Test
  void theIngressPortIndexFollowsTheRolledBackPorts() {
    Service v1 = control.createService(CreateServiceRequest.newBuilder().setSpec(withPort(spec("img:1"), 8080))
        .setNoResolveImage(true).build()).getService();
    Service v2 = update(v1, withPort(spec("img:2"), 9090));

    Service back = rollback(v2);

    assertThat(back.getSpec().getEndpoint().getPorts(0).getPublishedPort()).isEqualTo(8080);
    // 9090 is free again; 8080 is this service's again.
    Service other = control.createService(CreateServiceRequest.newBuilder()
        .setSpec(withPort(spec("img:1"), 9090).toBuilder().setName("other")).setNoResolveImage(true).build())
        .getService();
    assertThat(other.getSpec().getEndpoint().getPorts(0).getPublishedPort()).isEqualTo(9090);
    assertThatThrownBy(() -> control.createService(CreateServiceRequest.newBuilder()
        .setSpec(withPort(spec("img:1"), 8080).toBuilder().setName("third")).setNoResolveImage(true).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getDescription()).contains("port 8080/tcp is already published by service web"));
  }

  @Test
  void aPortTakenSinceTheUpdateIsFailedPrecondition() {
    Service v1 = control.createService(CreateServiceRequest.newBuilder().setSpec(withPort(spec("img:1"), 8080))
        .setNoResolveImage(true).build()).getService();
    Service v2 = update(v1, withPort(spec("img:2"), 9090));
    control.createService(CreateServiceRequest.newBuilder()
        .setSpec(withPort(spec("img:1"), 8080).toBuilder().setName("other")).setNoResolveImage(true).build());

    assertThatThrownBy(() -> rollback(v2)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(e.getStatus().getDescription()).isEqualTo("service web can't roll back: port 8080/tcp is already"
          + " published by service other; remove it there first");
    });
    assertThat(store.get(Tables.SERVICES, v1.getId()).orElseThrow().getSpec()).isEqualTo(v2.getSpec());
  }

  @Test
  void aManualRollbackWhileTheSchedulersSwapIsPendingSwapsOnce() {
    Service v1 = control.createService(CreateServiceRequest.newBuilder().setSpec(spec("img:1"))
        .setNoResolveImage(true).build()).getService();
    Service v2 = update(v1, spec("img:2"));
    Service pending = schedulerWrites(v2, UpdateStatus.newBuilder()
        .setState(UpdateState.UPDATE_STATE_ROLLBACK_STARTED).setSpecSwapPending(true).build());

    Service back = rollback(pending);

    assertThat(back.getSpec().getContainer().getImage()).isEqualTo("img:1");
    assertThat(back.getUpdateStatus().getSpecSwapPending()).isFalse();
    assertThat(back.getUpdateStatus().getMessage()).isEqualTo("manually requested rollback");
  }

  private static ServiceSpec withPort(ServiceSpec spec, int published) {
    return spec.toBuilder().setEndpoint(io.shoal.api.v1.EndpointSpec.newBuilder().addPorts(
        io.shoal.api.v1.PortConfig.newBuilder().setProtocol(io.shoal.api.v1.Protocol.PROTOCOL_TCP)
            .setTargetPort(80).setPublishedPort(published)
            .setPublishMode(io.shoal.api.v1.PublishMode.PUBLISH_MODE_INGRESS))).build();
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
    update(v2, spec("img:3"));

    assertThatThrownBy(() -> rollback(v2)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
  }

  @Test
  void theSchedulersStatusIsShownWithTheServiceAndLeavesItsVersionAsItWas() {
    Service v1 = control.createService(CreateServiceRequest.newBuilder().setSpec(spec("img:1"))
        .setNoResolveImage(true).build()).getService();
    Service v2 = update(v1, spec("img:2"));
    schedulerWrites(v2, UpdateState.UPDATE_STATE_UPDATING);

    Service read = control.getService(GetServiceRequest.newBuilder().setService("web").build()).getService();
    assertThat(read.getVersion()).isEqualTo(v2.getVersion());
    assertThat(read.getUpdateStatus().getState()).isEqualTo(UpdateState.UPDATE_STATE_UPDATING);
    assertThat(control.listServices(ListServicesRequest.getDefaultInstance()).getServicesList()).singleElement()
        .isEqualTo(read);
    // A new spec: the status about the old one no longer applies.
    Service v3 = update(read, spec("img:3"));
    assertThat(control.getService(GetServiceRequest.newBuilder().setService("web").build()).getService())
        .isEqualTo(v3).satisfies(s -> assertThat(s.hasUpdateStatus()).isFalse());
  }
}
