package io.shoal.control.logs;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What `service logs` names: a service (as every service call resolves it) or else one task, by
 * id or unique id prefix, as Docker tries a service first and then a task.
 */
final class LogTargets {
  /** A service, or one task of it. */
  record Target(Service service, Optional<Task> task) {}

  private LogTargets() {}

  static Target resolve(EtcdStore store, Function<String, Service> findService, String reference) {
    if (reference.isEmpty()) {
      throw new InvalidArgumentException("target", "a service or task must be provided");
    }
    try {
      return new Target(findService.apply(reference), Optional.empty());
    } catch (ShoalException e) {
      if (e.code() != io.grpc.Status.Code.NOT_FOUND) {
        throw e;
      }
    }
    Task task = store.get(Tables.TASKS, reference).orElseGet(() -> byPrefix(store, reference));
    Service service = store.get(Tables.SERVICES, task.getServiceId())
        .orElseThrow(() -> ShoalException.notFound("service of task " + task.getId() + " not found"));
    return new Target(service, Optional.of(task));
  }

  private static Task byPrefix(EtcdStore store, String reference) {
    List<Task> matches = store.list(Tables.TASKS).items().stream()
        .filter(t -> t.getId().startsWith(reference)).toList();
    if (matches.size() > 1) {
      throw new InvalidArgumentException("target",
          "task id prefix " + reference + " is ambiguous (" + matches.size() + " tasks match)");
    }
    if (matches.isEmpty()) {
      throw ShoalException.notFound("no such service or task: " + reference);
    }
    return matches.get(0);
  }
}
