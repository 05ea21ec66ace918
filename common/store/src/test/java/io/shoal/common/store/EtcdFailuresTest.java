package io.shoal.common.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How a failed etcd call reads: an outage (UNAVAILABLE) only when etcd did not answer. */
class EtcdFailuresTest {
  @Test
  void aRequestEtcdRefusedIsNotReportedAsAnOutage() {
    CompletableFuture<Void> refused = CompletableFuture.failedFuture(Status.INVALID_ARGUMENT
        .withDescription("etcdserver: duplicate key given in txn request").asRuntimeException());

    assertThatThrownBy(() -> EtcdStore.await(refused)).isInstanceOfSatisfying(ShoalException.class, e -> {
      assertThat(e.code()).isEqualTo(Status.Code.INTERNAL);
      assertThat(e.getMessage())
          .isEqualTo("etcd refused the request: INVALID_ARGUMENT: etcdserver: duplicate key given in txn request");
    });
  }

  @Test
  void anUnreachableEtcdIsUnavailable() {
    CompletableFuture<Void> down = CompletableFuture.failedFuture(Status.UNAVAILABLE
        .withDescription("io exception").asRuntimeException());

    assertThatThrownBy(() -> EtcdStore.await(down)).isInstanceOfSatisfying(ShoalException.class, e ->
        assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));
  }
}
