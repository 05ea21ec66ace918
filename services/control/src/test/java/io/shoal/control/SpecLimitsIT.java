package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateConfig;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The repros of #19 through the gRPC API on a real etcd: a spec that would stall the scheduler
 * (a delay of 10^17 seconds overflows Instant) or run nothing (2^64−1 replicas read as −1) is
 * refused on create, on update and on rollback, and nothing of it is stored.
 */
class SpecLimitsIT {
  private static final long SECONDS_1E17 = 100_000_000_000_000_000L;

  @RegisterExtension final InProcessControl cluster = new InProcessControl();
  private final EtcdStore store = cluster.store;
  private final ControlServiceGrpc.ControlServiceBlockingStub control = cluster.stub;

  private static ServiceSpec.Builder web() {
    return ServiceSpec.newBuilder().setName("limits-web")
        .setContainer(ContainerSpec.newBuilder().setImage("127.0.0.1:5000/limits/web:1"))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(2));
  }

  private Service create(ServiceSpec spec) {
    return control.createService(CreateServiceRequest.newBuilder().setSpec(spec).setNoResolveImage(true).build())
        .getService();
  }

  private void update(Service s, ServiceSpec spec) {
    control.updateService(UpdateServiceRequest.newBuilder().setServiceId(s.getId()).setVersion(s.getVersion())
        .setSpec(spec).setNoResolveImage(true).build());
  }

  private static void assertInvalid(Runnable call, String field, String reason) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).isEqualTo(field + ": " + reason);
      assertThat(StatusProto.fromThrowable(e).getDetails(0).is(BadRequest.class)).isTrue();
    });
  }

  private void assertRefusedOnCreateAndUpdate(UnaryOperator<ServiceSpec.Builder> bad, String field, String reason) {
    assertInvalid(() -> create(bad.apply(web()).build()), field, reason);
    assertThat(store.list(Tables.SERVICES).items()).isEmpty();

    Service s = create(web().build());
    assertInvalid(() -> update(s, bad.apply(s.getSpec().toBuilder()).build()), field, reason);
    assertThat(store.get(Tables.SERVICES, s.getId()).orElseThrow()).isEqualTo(s);
  }

  @Test
  void anUpdateDelayOf1e17SecondsIsRefusedOnCreateAndUpdate() {
    assertRefusedOnCreateAndUpdate(
        b -> b.setUpdateConfig(UpdateConfig.newBuilder().setDelay(Duration.newBuilder().setSeconds(SECONDS_1E17))),
        "UpdateConfig.delay", "100000000000000000s exceeds the limit of 3650 days (315360000s)");
  }

  @Test
  void replicasOf2To64Minus1AreRefusedOnCreateAndUpdate() {
    assertRefusedOnCreateAndUpdate(b -> b.setReplicated(ReplicatedService.newBuilder().setReplicas(-1L)),
        "ServiceSpec.replicated.replicas", "18446744073709551615 exceeds the limit of 10000");
  }

  @Test
  void updateParallelismOf2To32IsRefusedOnCreateAndUpdate() {
    assertRefusedOnCreateAndUpdate(b -> b.setUpdateConfig(UpdateConfig.newBuilder().setParallelism(1L << 32)),
        "UpdateConfig.parallelism", "4294967296 exceeds the limit of 10000");
  }

  @Test
  void aRollbackToAPreviousSpecStoredBeforeTheLimitsIsRefusedAndChangesNothing() {
    Service s = create(web().build());
    // As an older control stored it, before durations were bounded.
    ServiceSpec unbounded = s.getSpec().toBuilder().setUpdateConfig(UpdateConfig.newBuilder()
        .setDelay(Duration.newBuilder().setSeconds(SECONDS_1E17))).build();
    long version = store.txn().update(Tables.SERVICES, s.getId(), s.toBuilder().setPreviousSpec(unbounded).build(),
        s.getVersion()).commit();
    Service stored = store.get(Tables.SERVICES, s.getId()).orElseThrow();

    assertThatThrownBy(() -> control.updateService(UpdateServiceRequest.newBuilder().setServiceId(s.getId())
            .setVersion(version).setRollback(true).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).isEqualTo("service limits-web can't roll back: its previous"
              + " spec is outside today's limits (UpdateConfig.delay: 100000000000000000s exceeds the limit of"
              + " 3650 days (315360000s)); update the service instead");
        });
    assertThat(store.get(Tables.SERVICES, s.getId()).orElseThrow()).isEqualTo(stored);
  }
}
