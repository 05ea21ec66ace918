package io.shoal.control;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.SealedCredentials;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.server.Ids;
import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Txn;
import io.shoal.common.time.Timestamps;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Services as the user sees them: create, read, update, delete. The only writer of services,
 * their name index, their ingress-port index and their sealed registry credentials; every
 * change is one guarded etcd transaction.
 */
public final class ServiceManager {
  private static final Logger log = LoggerFactory.getLogger(ServiceManager.class);
  /** Ingress ports given out when the user publishes a target port only (Swarm's range). */
  static final int DYNAMIC_PORT_FIRST = 30000;
  static final int DYNAMIC_PORT_LAST = 32767;

  /** A stored service and the warnings the caller should show. */
  public record Result(Service service, List<String> warnings) {}

  private final EtcdStore store;
  private final ImagePinner pinner;
  private final Clock clock;
  private final TablePager pages;

  @Inject
  public ServiceManager(EtcdStore store, ImagePinner pinner, Clock clock) {
    this.store = store;
    this.pinner = pinner;
    this.clock = clock;
    this.pages = new TablePager(store);
  }

  EtcdStore store() {
    return store;
  }

  public Result create(ServiceSpec requested, boolean noResolveImage) {
    return create(requested, noResolveImage, Optional.empty());
  }

  /**
   * Creates a service; {@code registryAuth} (--with-registry-auth) is used to resolve the image,
   * sealed by the registry service and stored in the transaction that creates the service, so
   * the first task's node can already fetch it and a failed create leaves nothing behind.
   */
  public Result create(ServiceSpec requested, boolean noResolveImage, Optional<RegistryAuth> registryAuth) {
    ServiceSpec spec = SpecValidator.normalize(requested);
    List<String> warnings = new ArrayList<>();
    spec = pinImage(spec, noResolveImage, registryAuth, "", false, warnings);
    String id = Ids.newId();
    Optional<SealedCredentials> credentials = registryAuth.map(auth -> pinner.sealCredentials(id, auth));
    return createService(spec, id, warnings, credentials);
  }

  private Result createService(ServiceSpec spec, String id, List<String> warnings,
      Optional<SealedCredentials> credentials) {
    for (int attempt = 0; ; attempt++) {
      ServiceSpec withPorts = assignDynamicPorts(spec, id);
      Service service = Service.newBuilder()
          .setId(id).setSpec(withPorts).setCreateTime(now()).setUpdateTime(now())
          .addAllWarnings(warnings).build();
      Txn txn = store.txn()
          .create(Tables.SERVICES, id, service)
          .createString(nameKey(spec.getName()), id);
      for (String port : ingressPortKeys(withPorts)) {
        txn.createString(port, id);
      }
      credentials.ifPresent(sealed -> txn.create(Tables.CREDENTIALS, id, sealed));
      try {
        long revision = txn.commit();
        log.info("created service {} ({})", spec.getName(), id);
        return new Result(service.toBuilder().setVersion(revision).build(), warnings);
      } catch (ConflictException e) {
        explainCreateConflict(withPorts, id);
        if (attempt >= 3) {
          throw e;
        }
      }
    }
  }

  public Result update(String serviceId, long version, ServiceSpec requested, boolean noResolveImage) {
    return update(serviceId, version, requested, noResolveImage, Optional.empty());
  }

  /**
   * Updates a service. A changed image is resolved again, skipping the registry service's cache
   * (a new push of the same tag is picked up), with {@code registryAuth} or else the stored
   * credentials; {@code registryAuth} replaces the stored credentials in the update's own
   * transaction (a rejected update keeps the old ones), and none keeps them.
   */
  public Result update(String serviceId, long version, ServiceSpec requested, boolean noResolveImage,
      Optional<RegistryAuth> registryAuth) {
    return update(serviceId, version, requested, noResolveImage, registryAuth, false);
  }

  /** As above; {@code resolveImage} (`update --image`) resolves the image even when unchanged. */
  public Result update(String serviceId, long version, ServiceSpec requested, boolean noResolveImage,
      Optional<RegistryAuth> registryAuth, boolean resolveImage) {
    Service current = store.get(Tables.SERVICES, serviceId)
        .orElseThrow(() -> ShoalException.notFound("service " + serviceId + " not found"));
    if (current.getVersion() != version) {
      throw new ConflictException("service " + current.getSpec().getName() + " has changed since it was read"
          + " (version " + version + ", now " + current.getVersion() + "); read it again and retry");
    }
    ServiceSpec spec = SpecValidator.normalize(requested);
    List<String> warnings = new ArrayList<>();
    if (!resolveImage && spec.getContainer().getImage().equals(current.getSpec().getContainer().getImage())) {
      warnings.addAll(current.getWarningsList());
    } else {
      spec = pinImage(spec, noResolveImage, registryAuth, serviceId, true, warnings);
    }
    Optional<SealedCredentials> credentials = registryAuth.map(auth -> pinner.sealCredentials(serviceId, auth));
    ServiceSpec finalSpec = assignDynamicPorts(keepAssignedPorts(spec, current.getSpec()), serviceId);
    return commitUpdate(current, finalSpec, warnings, credentials);
  }

  /**
   * {@code service rollback}, as SwarmKit's controlapi does it: spec and previous_spec swap, in
   * the transaction that sets ROLLBACK_STARTED "manually requested rollback"; the scheduler then
   * rolls the tasks to the swapped-in spec with its --rollback-* config. Rolling back a rollback
   * goes forward again. An automatic rollback whose swap is still pending is swapped once: the
   * user asks for what the scheduler already decided.
   */
  public Result rollback(String serviceId, long version) {
    Service current = store.get(Tables.SERVICES, serviceId)
        .orElseThrow(() -> ShoalException.notFound("service " + serviceId + " not found"));
    if (current.getVersion() != version) {
      throw new ConflictException("service " + current.getSpec().getName() + " has changed since it was read"
          + " (version " + version + ", now " + current.getVersion() + "); read it again and retry");
    }
    if (!current.hasPreviousSpec()) {
      throw ShoalException.failedPrecondition("service " + current.getSpec().getName()
          + " has no previous spec to roll back to; it was never updated");
    }
    UpdateStatus status = UpdateStatus.newBuilder().setState(UpdateState.UPDATE_STATE_ROLLBACK_STARTED)
        .setStartTime(now()).setMessage("manually requested rollback").build();
    try {
      return commitRollback(current, status);
    } catch (ConflictException e) {
      throw new ConflictException("service " + current.getSpec().getName()
          + " has changed since it was read; read it again and retry");
    }
  }

  /**
   * Swaps spec and previous_spec and stores {@code status} with them, in one transaction guarded
   * by the version of {@code current}; the ingress-port index follows the ports. The name stays:
   * it is the service's identity, and Swarm can't rename a service at all.
   *
   * @throws ConflictException the service changed since {@code current} was read
   * @throws ShoalException FAILED_PRECONDITION when a port of the previous spec is published by
   *     another service now, or the previous spec is outside today's limits (stored before them)
   */
  Result commitRollback(Service current, UpdateStatus status) {
    String serviceId = current.getId();
    String name = current.getSpec().getName();
    ServiceSpec back = current.getPreviousSpec().toBuilder().setName(name).build();
    try {
      SpecValidator.normalize(back);
    } catch (InvalidArgumentException e) {
      throw ShoalException.failedPrecondition("service " + name + " can't roll back: its previous spec is"
          + " outside today's limits (" + e.getMessage() + "); update the service instead");
    }
    Service updated = current.toBuilder().setSpec(back).setPreviousSpec(current.getSpec())
        .setUpdateTime(now()).setUpdateStatus(status).build();
    Txn txn = store.txn().update(Tables.SERVICES, serviceId, updated, current.getVersion());
    movePortIndex(txn, current.getSpec(), back, serviceId);
    try {
      long revision = txn.commit();
      log.info("rolling back service {} ({}): {}", name, serviceId, status.getMessage());
      return new Result(updated.toBuilder().setVersion(revision).build(), List.of());
    } catch (ConflictException e) {
      portConflict(back, serviceId).ifPresent(conflict -> {
        throw ShoalException.failedPrecondition("service " + name + " can't roll back: " + conflict
            + "; remove it there first");
      });
      throw e;
    }
  }

  private Result commitUpdate(Service current, ServiceSpec spec, List<String> warnings,
      Optional<SealedCredentials> credentials) {
    String serviceId = current.getId();
    long version = current.getVersion();
    // The spec the tasks run becomes the previous one; a new spec restarts the update status,
    // which the scheduler then writes (guarded by this version) as the update rolls.
    Service updated = current.toBuilder()
        .setSpec(spec).setPreviousSpec(current.getSpec()).setUpdateTime(now()).clearUpdateStatus()
        .clearWarnings().addAllWarnings(warnings).build();
    Txn txn = store.txn().update(Tables.SERVICES, serviceId, updated, version);
    String oldName = current.getSpec().getName();
    if (!oldName.equals(spec.getName())) {
      txn.deleteString(nameKey(oldName), serviceId).createString(nameKey(spec.getName()), serviceId);
    }
    movePortIndex(txn, current.getSpec(), spec, serviceId);
    credentials.ifPresent(sealed -> replaceCredentials(txn, serviceId, sealed));
    try {
      long revision = txn.commit();
      log.info("updated service {} ({})", spec.getName(), serviceId);
      return new Result(updated.toBuilder().setVersion(revision).build(), warnings);
    } catch (ConflictException e) {
      if (!oldName.equals(spec.getName())) {
        store.getString(nameKey(spec.getName())).filter(owner -> !owner.equals(serviceId)).ifPresent(owner -> {
          throw ShoalException.alreadyExists("service " + spec.getName() + " already exists");
        });
      }
      explainPortConflict(spec, serviceId);
      throw new ConflictException("service " + oldName + " has changed since it was read; read it again and retry");
    }
  }

  /** Adds to {@code txn} the write of a service's credentials, guarded by those it replaces. */
  private void replaceCredentials(Txn txn, String serviceId, SealedCredentials sealed) {
    Optional<SealedCredentials> old = store.get(Tables.CREDENTIALS, serviceId);
    if (old.isPresent()) {
      txn.update(Tables.CREDENTIALS, serviceId, sealed, old.get().getVersion());
    } else {
      txn.create(Tables.CREDENTIALS, serviceId, sealed);
    }
  }

  /** The ingress-port index entries that change when a service's spec goes from one to another. */
  private static void movePortIndex(Txn txn, ServiceSpec from, ServiceSpec to, String serviceId) {
    Set<String> oldPorts = ingressPortKeys(from);
    Set<String> newPorts = ingressPortKeys(to);
    oldPorts.stream().filter(p -> !newPorts.contains(p)).forEach(p -> txn.deleteString(p, serviceId));
    newPorts.stream().filter(p -> !oldPorts.contains(p)).forEach(p -> txn.createString(p, serviceId));
  }

  public void delete(String reference) {
    Service service = find(reference);
    Txn txn = store.txn()
        .delete(Tables.SERVICES, service.getId(), service.getVersion())
        .deleteString(nameKey(service.getSpec().getName()), service.getId());
    ingressPortKeys(service.getSpec()).forEach(p -> txn.deleteString(p, service.getId()));
    store.get(Tables.CREDENTIALS, service.getId())
        .ifPresent(credentials -> txn.delete(Tables.CREDENTIALS, service.getId(), credentials.getVersion()));
    try {
      txn.commit();
    } catch (ConflictException e) {
      throw new ConflictException("service " + service.getSpec().getName()
          + " changed while it was being removed; retry");
    }
    log.info("removed service {} ({})", service.getSpec().getName(), service.getId());
  }

  /** By id, by name, or by a unique id prefix, as Docker resolves service references. */
  public Service find(String reference) {
    if (reference.isEmpty()) {
      throw new InvalidArgumentException("service", "a service id or name must be provided");
    }
    Optional<Service> byId = store.get(Tables.SERVICES, reference);
    if (byId.isPresent()) {
      return byId.get();
    }
    Optional<String> idByName = store.getString(nameKey(reference));
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
    return pages.page(Tables.SERVICES,
        new TablePager.Request("", pageSize, pageToken), "", s -> true);
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
      serviceId = serviceReference.isEmpty() ? "" : find(serviceReference).getId();
    }
    return pages.page(Tables.TASKS,
        new TablePager.Request(serviceReference, pageSize, pageToken), serviceId,
        t -> serviceId.isEmpty() || t.getServiceId().equals(serviceId));
  }

  private ServiceSpec pinImage(ServiceSpec spec, boolean noResolveImage, Optional<RegistryAuth> auth,
      String serviceId, boolean refresh, List<String> warnings) {
    if (noResolveImage) {
      pinner.validate(spec.getContainer().getImage());
      return spec;
    }
    ImagePinner.Pinned pinned = pinner.pin(spec.getContainer().getImage(), auth, serviceId, refresh);
    if (!pinned.warning().isEmpty()) {
      warnings.add(pinned.warning());
    }
    return spec.toBuilder()
        .setContainer(spec.getContainer().toBuilder().setImage(pinned.image())).build();
  }

  /** An update that leaves a port's target as it was keeps the ingress port given out before. */
  private static ServiceSpec keepAssignedPorts(ServiceSpec spec, ServiceSpec previous) {
    ServiceSpec.Builder b = spec.toBuilder();
    for (int i = 0; i < b.getEndpoint().getPortsCount(); i++) {
      PortConfig p = b.getEndpoint().getPorts(i);
      if (p.getPublishedPort() != 0 || p.getPublishMode() != PublishMode.PUBLISH_MODE_INGRESS) {
        continue;
      }
      for (PortConfig old : previous.getEndpoint().getPortsList()) {
        if (old.getTargetPort() == p.getTargetPort() && old.getProtocol() == p.getProtocol()
            && old.getPublishMode() == PublishMode.PUBLISH_MODE_INGRESS
            && spec.getEndpoint().getPortsList().stream().noneMatch(q -> q.getPublishedPort() == old.getPublishedPort())) {
          b.getEndpointBuilder().setPorts(i, p.toBuilder().setPublishedPort(old.getPublishedPort()));
          break;
        }
      }
    }
    return b.build();
  }

  /** Ingress ports with no published port get a free one from 30000-32767, as in Swarm. */
  private ServiceSpec assignDynamicPorts(ServiceSpec spec, String serviceId) {
    boolean needed = spec.getEndpoint().getPortsList().stream()
        .anyMatch(p -> p.getPublishedPort() == 0 && p.getPublishMode() == PublishMode.PUBLISH_MODE_INGRESS);
    if (!needed) {
      return spec;
    }
    Set<String> taken = new HashSet<>();
    store.listRaw(Tables.INGRESS_PORTS + "/").forEach(kv -> taken.add(
        kv.getKey().toString(java.nio.charset.StandardCharsets.UTF_8).substring(store.root().length())));
    ServiceSpec.Builder b = spec.toBuilder();
    int next = DYNAMIC_PORT_FIRST;
    for (int i = 0; i < b.getEndpoint().getPortsCount(); i++) {
      PortConfig p = b.getEndpoint().getPorts(i);
      if (p.getPublishedPort() != 0 || p.getPublishMode() != PublishMode.PUBLISH_MODE_INGRESS) {
        continue;
      }
      while (next <= DYNAMIC_PORT_LAST
          && (taken.contains(portKey(p.toBuilder().setPublishedPort(next).build())) || usedInSpec(b, next))) {
        next++;
      }
      if (next > DYNAMIC_PORT_LAST) {
        throw ShoalException.failedPrecondition("no free ingress port left in "
            + DYNAMIC_PORT_FIRST + "-" + DYNAMIC_PORT_LAST + " for service " + spec.getName());
      }
      b.getEndpointBuilder().setPorts(i, p.toBuilder().setPublishedPort(next++));
    }
    return b.build();
  }

  private static boolean usedInSpec(ServiceSpec.Builder b, int port) {
    return b.getEndpoint().getPortsList().stream().anyMatch(p -> p.getPublishedPort() == port);
  }

  private void explainCreateConflict(ServiceSpec spec, String id) {
    if (store.getString(nameKey(spec.getName())).isPresent()) {
      throw ShoalException.alreadyExists("service " + spec.getName() + " already exists");
    }
    explainPortConflict(spec, id);
  }

  private void explainPortConflict(ServiceSpec spec, String serviceId) {
    portConflict(spec, serviceId).ifPresent(conflict -> {
      throw ShoalException.failedPrecondition(conflict + "; remove it there first or choose another published port");
    });
  }

  /** "port 8080/tcp is already published by service NAME", if another service holds one of spec's ports. */
  private Optional<String> portConflict(ServiceSpec spec, String serviceId) {
    for (PortConfig p : spec.getEndpoint().getPortsList()) {
      if (p.getPublishMode() != PublishMode.PUBLISH_MODE_INGRESS || p.getPublishedPort() == 0) {
        continue;
      }
      Optional<String> owner = store.getString(portKey(p)).filter(o -> !o.equals(serviceId));
      if (owner.isPresent()) {
        String ownerName = store.get(Tables.SERVICES, owner.get()).map(s -> s.getSpec().getName()).orElse(owner.get());
        return Optional.of("port " + p.getPublishedPort() + "/" + SpecValidator.protocolName(p.getProtocol())
            + " is already published by service " + ownerName);
      }
    }
    return Optional.empty();
  }

  private static String portKey(PortConfig p) {
    return Tables.INGRESS_PORTS + "/" + SpecValidator.protocolName(p.getProtocol()) + "/" + p.getPublishedPort();
  }

  /** Ingress published ports are cluster-wide: one index key each keeps them unique. */
  private static Set<String> ingressPortKeys(ServiceSpec spec) {
    return spec.getEndpoint().getPortsList().stream()
        .filter(p -> p.getPublishMode() == PublishMode.PUBLISH_MODE_INGRESS && p.getPublishedPort() != 0)
        .map(ServiceManager::portKey)
        .collect(Collectors.toCollection(HashSet::new));
  }

  private static String nameKey(String name) {
    return Tables.SERVICE_NAMES + "/" + name;
  }

  private Timestamp now() {
    return Timestamps.now(clock);
  }
}
