package io.shoal.control;

import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Txn;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The cluster-wide ingress ports: an ingress published port belongs to one service, kept unique
 * by the {@code ports/<tcp|udp>/<port>} index ({@link Tables#INGRESS_PORTS}), which moves with
 * the spec in the transaction that stores it. Gives out free ports to ingress ports published
 * without one, from Swarm's dynamic range.
 */
final class IngressPorts {
  /** Ingress ports given out when the user publishes a target port only (Swarm's range). */
  static final int DYNAMIC_FIRST = 30000;
  static final int DYNAMIC_LAST = 32767;

  private final EtcdStore store;

  IngressPorts(EtcdStore store) {
    this.store = store;
  }

  /**
   * {@code spec} with a published port for every ingress port: the one {@code previous} gave
   * the same target (an update keeps its ports; null on create), else a free one.
   */
  ServiceSpec assign(ServiceSpec spec, ServiceSpec previous) {
    return assignFree(previous == null ? spec : keepAssigned(spec, previous));
  }

  /** Adds to {@code txn} the index entries that change when a service's spec goes from one to another (null: none). */
  static void move(Txn txn, ServiceSpec from, ServiceSpec to, String serviceId) {
    Set<String> old = from == null ? Set.of() : keys(from);
    Set<String> now = to == null ? Set.of() : keys(to);
    old.stream().filter(p -> !now.contains(p)).forEach(p -> txn.release(Tables.INGRESS_PORTS, p, serviceId));
    now.stream().filter(p -> !old.contains(p)).forEach(p -> txn.claim(Tables.INGRESS_PORTS, p, serviceId));
  }

  /** "port 8080/tcp is already published by service NAME", if another service holds one of spec's ports. */
  Optional<String> conflict(ServiceSpec spec, String serviceId) {
    for (PortConfig p : spec.getEndpoint().getPortsList()) {
      if (p.getPublishMode() != PublishMode.PUBLISH_MODE_INGRESS || p.getPublishedPort() == 0) {
        continue;
      }
      Optional<String> owner = store.owner(Tables.INGRESS_PORTS, key(p)).filter(o -> !o.equals(serviceId));
      if (owner.isPresent()) {
        String ownerName = store.get(Tables.SERVICES, owner.get()).map(s -> s.getSpec().getName()).orElse(owner.get());
        return Optional.of("port " + p.getPublishedPort() + "/" + SpecValidator.protocolName(p.getProtocol())
            + " is already published by service " + ownerName);
      }
    }
    return Optional.empty();
  }

  /** An update that leaves a port's target as it was keeps the ingress port given out before. */
  private static ServiceSpec keepAssigned(ServiceSpec spec, ServiceSpec previous) {
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
  private ServiceSpec assignFree(ServiceSpec spec) {
    boolean needed = spec.getEndpoint().getPortsList().stream()
        .anyMatch(p -> p.getPublishedPort() == 0 && p.getPublishMode() == PublishMode.PUBLISH_MODE_INGRESS);
    if (!needed) {
      return spec;
    }
    Set<String> taken = store.keys(Tables.INGRESS_PORTS);
    ServiceSpec.Builder b = spec.toBuilder();
    int next = DYNAMIC_FIRST;
    for (int i = 0; i < b.getEndpoint().getPortsCount(); i++) {
      PortConfig p = b.getEndpoint().getPorts(i);
      if (p.getPublishedPort() != 0 || p.getPublishMode() != PublishMode.PUBLISH_MODE_INGRESS) {
        continue;
      }
      while (next <= DYNAMIC_LAST
          && (taken.contains(key(p.toBuilder().setPublishedPort(next).build())) || usedInSpec(b, next))) {
        next++;
      }
      if (next > DYNAMIC_LAST) {
        throw ShoalException.failedPrecondition("no free ingress port left in "
            + DYNAMIC_FIRST + "-" + DYNAMIC_LAST + " for service " + spec.getName());
      }
      b.getEndpointBuilder().setPorts(i, p.toBuilder().setPublishedPort(next++));
    }
    return b.build();
  }

  private static boolean usedInSpec(ServiceSpec.Builder b, int port) {
    return b.getEndpoint().getPortsList().stream().anyMatch(p -> p.getPublishedPort() == port);
  }

  /** The index key of a published port: {@code tcp/8080}. */
  static String key(PortConfig p) {
    return SpecValidator.protocolName(p.getProtocol()) + "/" + p.getPublishedPort();
  }

  /** The index keys of a spec's ingress published ports. */
  static Set<String> keys(ServiceSpec spec) {
    return spec.getEndpoint().getPortsList().stream()
        .filter(p -> p.getPublishMode() == PublishMode.PUBLISH_MODE_INGRESS && p.getPublishedPort() != 0)
        .map(IngressPorts::key)
        .collect(Collectors.toCollection(HashSet::new));
  }
}
