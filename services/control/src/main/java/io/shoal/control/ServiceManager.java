package io.shoal.control;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.SealedCredentials;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.ids.Ids;
import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Txn;
import io.shoal.common.tracing.StoredTraceContext;
import io.shoal.common.time.Timestamps;
import io.shoal.control.limits.SpecLimits;
import io.shoal.control.network.NetworkAttachments;
import io.shoal.control.secret.FileReferences;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Services as the user changes them: create, update, rollback, delete. The only writer of
 * services, their name index, their ingress-port index ({@link IngressPorts}) and their sealed
 * registry credentials; every change is one guarded etcd transaction, which also guards the
 * networks, secrets and configs the service starts using. Reads are
 * {@link ServiceQueries}'.
 */
public final class ServiceManager {
  private static final Logger log = LoggerFactory.getLogger(ServiceManager.class);
  /** Random names drawn for one create before giving up (2,304 names: only a crowded cluster gets there). */
  private static final int MAX_NAME_DRAWS = 10;

  /** A stored service and the warnings the caller should show. */
  public record Result(Service service, List<String> warnings) {}

  /**
   * How a create or update treats the image: {@code noResolve} stores it as given (validated
   * only); {@code resolveAgain} (`update --image`) resolves it even when unchanged;
   * {@code registryAuth} (--with-registry-auth) resolves it and is sealed and stored with the
   * service.
   */
  public record ImageOptions(boolean noResolve, boolean resolveAgain, Optional<RegistryAuth> registryAuth) {
    /** The image as given, no registry asked. */
    public static final ImageOptions NO_RESOLVE = new ImageOptions(true, false, Optional.empty());
  }

  private final EtcdStore store;
  private final ImagePinner pinner;
  private final Clock clock;
  private final IngressPorts ports;
  private final ServiceQueries queries;
  private final NetworkAttachments networks;
  private final FileReferences files;
  private final RandomServiceNames names;
  private final long maxServices;

  @Inject
  public ServiceManager(EtcdStore store, ImagePinner pinner, Clock clock) {
    this(store, pinner, clock, new RandomServiceNames(new SecureRandom()), SpecLimits.MAX_SERVICES);
  }

  ServiceManager(EtcdStore store, ImagePinner pinner, Clock clock, RandomServiceNames names) {
    this(store, pinner, clock, names, SpecLimits.MAX_SERVICES);
  }

  /** @param maxServices the most services the cluster holds ({@link SpecLimits#MAX_SERVICES}; tests give fewer) */
  ServiceManager(EtcdStore store, ImagePinner pinner, Clock clock, RandomServiceNames names, long maxServices) {
    this.maxServices = maxServices;
    this.names = names;
    this.store = store;
    this.pinner = pinner;
    this.clock = clock;
    this.ports = new IngressPorts(store);
    this.queries = new ServiceQueries(store);
    this.networks = new NetworkAttachments(store);
    this.files = new FileReferences(store);
  }

  EtcdStore store() {
    return store;
  }

  /**
   * Creates a service. Credentials given with the image are sealed by the registry service and
   * stored in the transaction that creates the service, so the first task's node can already
   * fetch them and a failed create leaves nothing behind. A spec without a name gets a random
   * one ({@link RandomServiceNames}), drawn again while it is taken, as Docker names services.
   */
  public Result create(ServiceSpec requested, ImageOptions image) {
    long services = store.count(Tables.SERVICES);
    if (services >= maxServices) {
      // Concurrent creates may each pass this read: the cluster can go past it by as many.
      throw new ShoalException(io.grpc.Status.Code.RESOURCE_EXHAUSTED, "the cluster has " + services
          + " services, the most it takes (" + maxServices + "); remove one first");
    }
    boolean nameGiven = !requested.getName().isEmpty();
    ServiceSpec spec = resolve(nameGiven ? requested : requested.toBuilder().setName(names.next()).build());
    List<String> warnings = new ArrayList<>();
    // As Docker: a create resolves the tag at its registry, never from the resolution cache,
    // so a tag pushed again since the last resolution is what the new service runs.
    spec = pinImage(spec, image, "", true, warnings);
    String id = Ids.newId();
    Optional<SealedCredentials> credentials = image.registryAuth().map(auth -> pinner.sealCredentials(id, auth));
    for (int attempt = 0; ; attempt++) {
      ServiceSpec withPorts = ports.assign(spec, null);
      Service service = Service.newBuilder()
          .setId(id).setSpec(withPorts).setCreateTime(now()).setUpdateTime(now())
          .addAllWarnings(warnings).putAllTraceContext(StoredTraceContext.ofCurrent()).build();
      Txn txn = store.txn()
          .create(Tables.SERVICES, id, service)
          .claim(Tables.SERVICE_NAMES, spec.getName(), id);
      IngressPorts.move(txn, null, withPorts, id);
      networks.attach(txn, null, withPorts);
      files.attach(txn, null, withPorts);
      credentials.ifPresent(sealed -> txn.create(Tables.CREDENTIALS, id, sealed));
      try {
        long revision = txn.commit();
        log.info("created service {} ({})", spec.getName(), id);
        return new Result(service.toBuilder().setVersion(revision).build(), warnings);
      } catch (ConflictException e) {
        if (store.owner(Tables.SERVICE_NAMES, spec.getName()).isPresent()) {
          if (nameGiven || attempt >= MAX_NAME_DRAWS) {
            throw ShoalException.alreadyExists("service " + spec.getName() + " already exists");
          }
          spec = spec.toBuilder().setName(names.next()).build();
          continue;
        }
        explainPortConflict(withPorts, id);
        if (attempt >= 3) {
          throw e;
        }
      }
    }
  }

  /**
   * Updates a service. A changed image is resolved again, skipping the registry service's cache
   * (a new push of the same tag is picked up), with the given credentials or else the stored
   * ones; given credentials replace the stored ones in the update's own transaction (a rejected
   * update keeps the old ones), and none keeps them.
   */
  public Result update(String serviceId, long version, ServiceSpec requested, ImageOptions image) {
    Service current = readAt(serviceId, version);
    ServiceSpec spec = resolve(requested);
    List<String> warnings = new ArrayList<>();
    if (!image.resolveAgain() && spec.getContainer().getImage().equals(current.getSpec().getContainer().getImage())) {
      warnings.addAll(current.getWarningsList());
    } else {
      spec = pinImage(spec, image, serviceId, true, warnings);
    }
    Optional<SealedCredentials> credentials = image.registryAuth().map(auth -> pinner.sealCredentials(serviceId, auth));
    return commitUpdate(current, ports.assign(spec, current.getSpec()), warnings, credentials);
  }

  /**
   * {@code service rollback}, as SwarmKit's controlapi does it: spec and previous_spec swap, in
   * the transaction that stores ROLLBACK_STARTED "manually requested rollback"; the scheduler then
   * rolls the tasks to the swapped-in spec with its --rollback-* config. Rolling back a rollback
   * goes forward again. An automatic rollback the scheduler asked for is swapped once: the user
   * asks for what the scheduler already decided.
   */
  public Result rollback(String serviceId, long version) {
    Service current = readAt(serviceId, version);
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

  public void delete(String reference) {
    Service service = queries.findStored(reference);
    Txn txn = store.txn()
        .delete(Tables.SERVICES, service.getId(), service.getVersion())
        .release(Tables.SERVICE_NAMES, service.getSpec().getName(), service.getId());
    IngressPorts.move(txn, service.getSpec(), null, service.getId());
    store.get(Tables.CREDENTIALS, service.getId())
        .ifPresent(credentials -> txn.delete(Tables.CREDENTIALS, service.getId(), credentials.getVersion()));
    Map<String, String> traced = StoredTraceContext.ofCurrent();
    if (!traced.isEmpty()) {
      // The removal's trace goes on in the scheduler through this record (Tables.REMOVED_SERVICES).
      txn.createLeased(Tables.REMOVED_SERVICES, service.getId(),
          service.toBuilder().clearTraceContext().putAllTraceContext(traced).setUpdateTime(now()).build(),
          store.grantLease(Tables.REMOVAL_TRACE_SECONDS));
    }
    try {
      txn.commit();
    } catch (ConflictException e) {
      throw new ConflictException("service " + service.getSpec().getName()
          + " changed while it was being removed; retry");
    }
    // Its status (service_status/<id>) is the scheduler's: it removes it once it sees the service gone.
    log.info("removed service {} ({})", service.getSpec().getName(), service.getId());
  }

  /** The spec checked, with its networks, secrets and configs resolved to ids. */
  private ServiceSpec resolve(ServiceSpec requested) {
    return files.resolve(networks.resolve(SpecValidator.normalize(requested)));
  }

  /** The stored service, which must still be at {@code version}. */
  private Service readAt(String serviceId, long version) {
    Service current = store.get(Tables.SERVICES, serviceId)
        .orElseThrow(() -> ShoalException.notFound("service " + serviceId + " not found"));
    if (current.getVersion() != version) {
      throw new ConflictException("service " + current.getSpec().getName() + " has changed since it was read"
          + " (version " + version + ", now " + current.getVersion() + "); read it again and retry");
    }
    return current;
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
        .setUpdateTime(now()).setUpdateStatus(status)
        .clearTraceContext().putAllTraceContext(StoredTraceContext.ofCurrent()).build();
    Txn txn = store.txn().update(Tables.SERVICES, serviceId, updated, current.getVersion());
    IngressPorts.move(txn, current.getSpec(), back, serviceId);
    try {
      networks.attach(txn, current.getSpec(), back);
      files.attach(txn, current.getSpec(), back);
    } catch (ShoalException e) {
      throw ShoalException.failedPrecondition("service " + name + " can't roll back: " + e.getMessage());
    }
    try {
      long revision = txn.commit();
      log.info("rolling back service {} ({}): {}", name, serviceId, status.getMessage());
      return new Result(updated.toBuilder().setVersion(revision).build(), List.of());
    } catch (ConflictException e) {
      ports.conflict(back, serviceId).ifPresent(conflict -> {
        throw ShoalException.failedPrecondition("service " + name + " can't roll back: " + conflict
            + "; remove it there first");
      });
      throw e;
    }
  }

  /**
   * Stores {@code status} as where the service's current spec stands, guarded by the version of
   * {@code current}: an automatic rollback that could not be made pauses the update, saying why.
   *
   * @throws ConflictException the service changed since {@code current} was read
   */
  void commitStatus(Service current, UpdateStatus status) {
    store.txn().update(Tables.SERVICES, current.getId(), current.toBuilder().setUpdateStatus(status).build(),
        current.getVersion()).commit();
  }

  private Result commitUpdate(Service current, ServiceSpec spec, List<String> warnings,
      Optional<SealedCredentials> credentials) {
    String serviceId = current.getId();
    long version = current.getVersion();
    // The spec the tasks run becomes the previous one. A new spec starts with no update status:
    // the scheduler's status about the old version no longer applies (ServiceViews).
    Service updated = current.toBuilder()
        .setSpec(spec).setPreviousSpec(current.getSpec()).setUpdateTime(now()).clearUpdateStatus()
        .clearWarnings().addAllWarnings(warnings)
        .clearTraceContext().putAllTraceContext(StoredTraceContext.ofCurrent()).build();
    Txn txn = store.txn().update(Tables.SERVICES, serviceId, updated, version);
    String oldName = current.getSpec().getName();
    if (!oldName.equals(spec.getName())) {
      txn.release(Tables.SERVICE_NAMES, oldName, serviceId).claim(Tables.SERVICE_NAMES, spec.getName(), serviceId);
    }
    IngressPorts.move(txn, current.getSpec(), spec, serviceId);
    networks.attach(txn, current.getSpec(), spec);
    files.attach(txn, current.getSpec(), spec);
    credentials.ifPresent(sealed -> replaceCredentials(txn, serviceId, sealed));
    try {
      long revision = txn.commit();
      log.info("updated service {} ({})", spec.getName(), serviceId);
      return new Result(updated.toBuilder().setVersion(revision).build(), warnings);
    } catch (ConflictException e) {
      if (!oldName.equals(spec.getName())) {
        store.owner(Tables.SERVICE_NAMES, spec.getName()).filter(owner -> !owner.equals(serviceId)).ifPresent(owner -> {
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

  private ServiceSpec pinImage(ServiceSpec spec, ImageOptions image, String serviceId, boolean refresh,
      List<String> warnings) {
    if (image.noResolve()) {
      pinner.validate(spec.getContainer().getImage());
      return spec;
    }
    ImagePinner.Pinned pinned = pinner.pin(spec.getContainer().getImage(), image.registryAuth(), serviceId, refresh);
    if (!pinned.warning().isEmpty()) {
      warnings.add(pinned.warning());
    }
    return spec.toBuilder()
        .setContainer(spec.getContainer().toBuilder().setImage(pinned.image())).build();
  }

  private void explainPortConflict(ServiceSpec spec, String serviceId) {
    ports.conflict(spec, serviceId).ifPresent(conflict -> {
      throw ShoalException.failedPrecondition(conflict + "; remove it there first or choose another published port");
    });
  }

  private Timestamp now() {
    return Timestamps.now(clock);
  }
}
