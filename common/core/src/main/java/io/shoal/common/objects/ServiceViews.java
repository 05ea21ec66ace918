package io.shoal.common.objects;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceStatus;
import java.util.Optional;

/**
 * A service as the API and the scheduler see it, put together from its two keys, each with one
 * writer: control's {@code services/<id>} and the scheduler's {@code service_status/<id>}. The
 * scheduler's status speaks about one version of the service; once control writes the service
 * again (a new spec, a rollback) it reads as none, and the update status control stored with the
 * spec stands until the scheduler writes one about the new version. The status's endpoint (the
 * service's virtual IPs) is shown whatever version the status is about.
 */
public final class ServiceViews {
  private ServiceViews() {}

  /** {@code stored} (as read from services/) with {@code status} laid over it if it is about it. */
  public static Service withStatus(Service stored, Optional<ServiceStatus> status) {
    Optional<ServiceStatus> current = status.filter(s -> s.getServiceVersion() == stored.getVersion());
    Service.Builder b = stored.toBuilder().setReconcileError(current.map(ServiceStatus::getReconcileError).orElse(""));
    current.filter(ServiceStatus::hasUpdateStatus).ifPresent(s -> b.setUpdateStatus(s.getUpdateStatus()));
    // The virtual IPs belong to the service, not to one version of it.
    b.clearEndpoint();
    status.filter(ServiceStatus::hasEndpoint).ifPresent(s -> b.setEndpoint(s.getEndpoint()));
    return b.build();
  }

  /** What the scheduler stores about {@code service} (a view, as {@link #withStatus} makes it). */
  public static ServiceStatus statusOf(Service service) {
    ServiceStatus.Builder b = ServiceStatus.newBuilder().setServiceId(service.getId())
        .setServiceVersion(service.getVersion()).setReconcileError(service.getReconcileError());
    if (service.hasUpdateStatus()) {
      b.setUpdateStatus(service.getUpdateStatus());
    }
    if (service.hasEndpoint()) {
      b.setEndpoint(service.getEndpoint());
    }
    return b.build();
  }
}
