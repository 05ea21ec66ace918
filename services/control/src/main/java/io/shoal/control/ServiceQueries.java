package io.shoal.control;

import io.shoal.control.paging.TablePager;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.Task;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.objects.ServiceViews;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Services and tasks as the user reads them: look-ups by reference and listings one page at a
 * time. Each service is shown with the scheduler's status about it (ServiceViews), so the API
 * shows one object although its parts have different writers.
 */
public final class ServiceQueries {
  private final EtcdStore store;
  private final TablePager pages;

  @Inject
  public ServiceQueries(EtcdStore store) {
    this.store = store;
    this.pages = new TablePager(store);
  }

  /** By id, by name, or by a unique id prefix, as Docker resolves service references. */
  public Service find(String reference) {
    Service stored = findStored(reference);
    return ServiceViews.withStatus(stored, store.get(Tables.SERVICE_STATUS, stored.getId()));
  }

  /** As {@link #find}, as control stored it (no status): what a write starts from. */
  Service findStored(String reference) {
    if (reference.isEmpty()) {
      throw new InvalidArgumentException("service", "a service id or name must be provided");
    }
    Optional<Service> byId = store.get(Tables.SERVICES, reference);
    if (byId.isPresent()) {
      return byId.get();
    }
    Optional<String> idByName = store.owner(Tables.SERVICE_NAMES, reference);
    if (idByName.isPresent()) {
      Optional<Service> byName = store.get(Tables.SERVICES, idByName.get());
      if (byName.isPresent()) {
        return byName.get();
      }
    }
    List<Service> byPrefix = store.list(Tables.SERVICES).items().stream()
        .filter(s -> s.getId().startsWith(reference)).toList();
    if (byPrefix.size() == 1) {
      return byPrefix.get(0);
    }
    if (byPrefix.size() > 1) {
      throw new InvalidArgumentException("service",
          "id prefix " + reference + " is ambiguous (" + byPrefix.size() + " services match)");
    }
    throw ShoalException.notFound("service " + reference + " not found");
  }

  /** One page of services, in id order. */
  public TablePager.Page<Service> list(int pageSize, String pageToken) {
    TablePager.Page<Service> page = pages.page(Tables.SERVICES,
        new TablePager.Request("", pageSize, pageToken), "", s -> true);
    Map<String, ServiceStatus> statuses = pages.alongside(page, Tables.SERVICE_STATUS);
    return page.map(s -> ServiceViews.withStatus(s, Optional.ofNullable(statuses.get(s.getId()))));
  }

  /**
   * One page of the tasks of one service (id, name or prefix), or of all when empty, in id
   * order. The service is resolved on the first page; later pages keep its id.
   */
  public TablePager.Page<Task> tasks(String serviceReference, int pageSize, String pageToken) {
    String serviceId;
    if (!pageToken.isEmpty()) {
      serviceId = TablePager.decodeToken(pageToken, Tables.TASKS, serviceReference).filterValue();
    } else {
      serviceId = serviceReference.isEmpty() ? "" : findStored(serviceReference).getId();
    }
    return pages.page(Tables.TASKS,
        new TablePager.Request(serviceReference, pageSize, pageToken), serviceId,
        t -> serviceId.isEmpty() || t.getServiceId().equals(serviceId));
  }
}
