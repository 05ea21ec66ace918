package io.shoal.common.objects;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.Endpoint;
import io.shoal.api.v1.EndpointVirtualIp;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceViewsTest {
  private static final UpdateStatus UPDATING = UpdateStatus.newBuilder().setState(UpdateState.UPDATE_STATE_UPDATING).build();
  private static final UpdateStatus ROLLBACK = UpdateStatus.newBuilder()
      .setState(UpdateState.UPDATE_STATE_ROLLBACK_STARTED).setMessage("manually requested rollback").build();

  private static Service stored(long version) {
    return Service.newBuilder().setId("s1").setVersion(version).setSpec(ServiceSpec.newBuilder().setName("web")).build();
  }

  private static ServiceStatus status(long aboutVersion) {
    return ServiceStatus.newBuilder().setServiceId("s1").setVersion(99).setServiceVersion(aboutVersion)
        .setUpdateStatus(UPDATING).setReconcileError("replicas: too many").build();
  }

  @Test
  void aStatusAboutThisVersionIsShown() {
    Service view = ServiceViews.withStatus(stored(7), Optional.of(status(7)));

    assertThat(view.getUpdateStatus()).isEqualTo(UPDATING);
    assertThat(view.getReconcileError()).isEqualTo("replicas: too many");
    assertThat(view.getVersion()).isEqualTo(7);
  }

  @Test
  void aStatusAboutAnOlderVersionReadsAsNoneAndWhatControlStoredStands() {
    assertThat(ServiceViews.withStatus(stored(8), Optional.of(status(7)))).isEqualTo(stored(8));
    Service rolledBack = stored(8).toBuilder().setUpdateStatus(ROLLBACK).build();
    assertThat(ServiceViews.withStatus(rolledBack, Optional.of(status(7)))).isEqualTo(rolledBack);
    assertThat(ServiceViews.withStatus(rolledBack, Optional.empty())).isEqualTo(rolledBack);
  }

  @Test
  void whatTheSchedulerStoresIsItsPartOfTheView() {
    Service view = ServiceViews.withStatus(stored(7), Optional.of(status(7)));

    assertThat(ServiceViews.statusOf(view)).isEqualTo(status(7).toBuilder().clearVersion().build());
    assertThat(ServiceViews.statusOf(stored(8)).hasUpdateStatus()).isFalse();
  }

  @Test
  void theVirtualIpsAreShownWhateverVersionTheStatusIsAbout() {
    Endpoint endpoint = Endpoint.newBuilder()
        .addVirtualIps(EndpointVirtualIp.newBuilder().setNetworkId("n1").setAddr("10.0.0.2/24")).build();
    ServiceStatus old = status(7).toBuilder().setEndpoint(endpoint).build();

    Service view = ServiceViews.withStatus(stored(8), Optional.of(old));

    assertThat(view.getEndpoint()).isEqualTo(endpoint);
    assertThat(view.hasUpdateStatus()).isFalse();
    assertThat(ServiceViews.statusOf(view).getEndpoint()).isEqualTo(endpoint);
  }
}
