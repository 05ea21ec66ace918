package io.shoal.scheduler;

import io.shoal.api.v1.Service;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each service's {@code reconcile_error} as of the last pass: set to why the service failed,
 * cleared once it reconciles again, written (guarded by the service's version) only when it
 * differs from the stored one, and logged once per change, not every pass.
 */
final class ReconcileErrors {
  private static final Logger log = LoggerFactory.getLogger(ReconcileErrors.class);
  /** The stored reason's length; an exception's message may carry a large stored value. */
  static final int MAX_REASON_CHARS = 1024;

  /** What was last logged per service id. Guarded by this. */
  private final Map<String, String> logged = new HashMap<>();

  synchronized void record(Collection<Service> services, Map<String, RuntimeException> failed, Plan plan) {
    Set<String> present = services.stream().map(Service::getId).collect(Collectors.toSet());
    logged.keySet().retainAll(present);
    for (Service service : services) {
      RuntimeException e = failed.get(service.getId());
      String reason = e == null ? "" : reason(e);
      if (!reason.equals(service.getReconcileError())) {
        plan.updateService(plan.current(service).toBuilder().setReconcileError(reason).build());
      }
      String before = logged.getOrDefault(service.getId(), "");
      if (reason.equals(before)) {
        continue;
      }
      if (reason.isEmpty()) {
        logged.remove(service.getId());
        log.info("service {} ({}) reconciles again", service.getSpec().getName(), service.getId());
      } else {
        logged.put(service.getId(), reason);
        if (e instanceof UnreconcilableServiceException) {
          log.warn("service {} ({}) is not reconciled: {}", service.getSpec().getName(), service.getId(), reason);
        } else {
          log.warn("service {} ({}) is not reconciled", service.getSpec().getName(), service.getId(), e);
        }
      }
    }
  }

  synchronized int count() {
    return logged.size();
  }

  /** What the user sees: the field and limit for a value out of range, else the exception. */
  static String reason(RuntimeException e) {
    String reason = e instanceof UnreconcilableServiceException ? e.getMessage() : "internal error: " + e;
    return reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS - 3) + "...";
  }
}
