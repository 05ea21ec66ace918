package io.shoal.meshproxy.routes;

import io.netty.util.NetUtil;
import io.shoal.api.v1.LoadBalancing;
import io.shoal.api.v1.PortBinding;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.ProxyProtocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes the route table from services and tasks: a pure function, no I/O, so the whole
 * routing decision is unit-tested without etcd or sockets.
 *
 * <ul>
 *   <li>A route per {@link PortConfig} in INGRESS mode (UNSPECIFIED counts as INGRESS) with a
 *       published port, for the protocols in {@link #SUPPORTED} (UNSPECIFIED counts as TCP).
 *   <li>Its backends are the service's tasks that are RUNNING and meant to stay RUNNING, at the
 *       endpoint their status reports for the route's target port.
 *   <li>Two services publishing one port is a conflict: the older service keeps the port and the
 *       table names the conflict in its problems.
 * </ul>
 */
public final class RouteTableBuilder {
  /** Protocols the proxy serves, one {@code Frontend} each. */
  public static final Set<Protocol> SUPPORTED =
      EnumSet.of(Protocol.PROTOCOL_TCP, Protocol.PROTOCOL_UDP);

  private static final Comparator<Service> OLDEST_FIRST =
      Comparator.<Service, Long>comparing(s -> s.getCreateTime().getSeconds())
          .thenComparing(s -> s.getCreateTime().getNanos())
          .thenComparing(Service::getId);

  private static final Comparator<Task> BY_SLOT = Comparator.comparingLong(Task::getSlot)
      .thenComparing(Task::getId);

  private RouteTableBuilder() {}

  /**
   * Whether a task may receive connections: RUNNING, and desired RUNNING. A task leaves the
   * table the moment the scheduler sets another desired state, before it actually stops.
   */
  public static boolean isBackend(Task task) {
    return task.getDesiredState() == TaskState.TASK_STATE_RUNNING
        && task.getStatus().getState() == TaskState.TASK_STATE_RUNNING;
  }

  public static RouteTable build(Collection<Service> services, Collection<Task> tasks) {
    Map<String, List<Task>> running = new HashMap<>();
    for (Task task : tasks) {
      if (isBackend(task)) {
        running.computeIfAbsent(task.getServiceId(), id -> new ArrayList<>()).add(task);
      }
    }
    running.values().forEach(list -> list.sort(BY_SLOT));

    List<Service> ordered = new ArrayList<>(services);
    ordered.sort(OLDEST_FIRST);
    Map<PortKey, Route> routes = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (Service service : ordered) {
      String name = service.getSpec().getName();
      for (PortConfig port : service.getSpec().getEndpoint().getPortsList()) {
        if (!isIngress(port.getPublishMode()) || port.getPublishedPort() == 0) {
          continue;
        }
        Protocol protocol = normalize(port.getProtocol());
        String published = port.getPublishedPort() + "/" + protocolName(protocol);
        if (!SUPPORTED.contains(protocol)) {
          problems.add("service " + name + " publishes " + published
              + ": " + protocolName(protocol) + " is not supported by the routing mesh yet");
          continue;
        }
        if (port.getPublishedPort() > 65535 || port.getTargetPort() < 1
            || port.getTargetPort() > 65535) {
          problems.add("service " + name + " publishes " + published + " -> "
              + port.getTargetPort() + ": port out of range");
          continue;
        }
        PortKey key = new PortKey(protocol, port.getPublishedPort());
        Route taken = routes.get(key);
        if (taken != null) {
          problems.add("port " + key + " is published by service " + taken.serviceName()
              + " (" + taken.serviceId() + ") and by service " + name + " (" + service.getId()
              + "); serving " + taken.serviceName());
          continue;
        }
        List<Backend> backends = new ArrayList<>();
        for (Task task : running.getOrDefault(service.getId(), List.of())) {
          endpoint(task, protocol, port.getTargetPort(), problems, name).ifPresent(backends::add);
        }
        routes.put(key, new Route(key, service.getId(), name, port.getTargetPort(), backends,
            loadBalancing(service), proxyProtocol(port, protocol, published, name, problems)));
      }
    }
    return new RouteTable(routes, problems);
  }

  private static LoadBalancing loadBalancing(Service service) {
    return service.getSpec().getEndpoint().getLoadBalancing()
        == LoadBalancing.LOAD_BALANCING_LEAST_CONN
        ? LoadBalancing.LOAD_BALANCING_LEAST_CONN
        : LoadBalancing.LOAD_BALANCING_ROUND_ROBIN;
  }

  /**
   * The header a route sends its tasks: first on each TCP connection, in front of every UDP
   * datagram. v1 has no UDP form and control rejects it there; should it reach etcd anyway, the
   * port is served without a header and the table says so.
   */
  private static ProxyProtocol proxyProtocol(PortConfig port, Protocol protocol, String published,
      String serviceName, List<String> problems) {
    ProxyProtocol wanted = port.getProxyProtocol();
    if (wanted != ProxyProtocol.PROXY_PROTOCOL_V1 && wanted != ProxyProtocol.PROXY_PROTOCOL_V2) {
      return ProxyProtocol.PROXY_PROTOCOL_NONE;
    }
    if (protocol == Protocol.PROTOCOL_UDP && wanted == ProxyProtocol.PROXY_PROTOCOL_V1) {
      problems.add("service " + serviceName + " publishes " + published
          + " with PROXY protocol v1, which has no udp form (v2 has); served without");
      return ProxyProtocol.PROXY_PROTOCOL_NONE;
    }
    return wanted;
  }

  private static boolean isIngress(PublishMode mode) {
    return mode == PublishMode.PUBLISH_MODE_INGRESS || mode == PublishMode.PUBLISH_MODE_UNSPECIFIED;
  }

  private static Protocol normalize(Protocol protocol) {
    return protocol == Protocol.PROTOCOL_UNSPECIFIED ? Protocol.PROTOCOL_TCP : protocol;
  }

  private static String protocolName(Protocol protocol) {
    switch (protocol) {
      case PROTOCOL_TCP:
        return "tcp";
      case PROTOCOL_UDP:
        return "udp";
      default:
        return protocol.name();
    }
  }

  /**
   * The task's reported endpoint for {@code targetPort}: a binding of the same protocol,
   * preferring one made for ingress over a host-mode one of the same target port (both reach
   * the container, but the ingress one is what the agent published for the mesh).
   */
  private static Optional<Backend> endpoint(
      Task task, Protocol protocol, int targetPort, List<String> problems, String serviceName) {
    PortBinding found = null;
    for (PortBinding binding : task.getStatus().getPortsList()) {
      if (binding.getTargetPort() != targetPort || normalize(binding.getProtocol()) != protocol
          || binding.getHostPort() < 1 || binding.getHostPort() > 65535
          || binding.getHostIp().isBlank()) {
        continue;
      }
      if (found == null || (found.getPublishMode() == PublishMode.PUBLISH_MODE_HOST
          && binding.getPublishMode() != PublishMode.PUBLISH_MODE_HOST)) {
        found = binding;
      }
    }
    if (found == null) {
      return Optional.empty();
    }
    InetSocketAddress address = address(found.getHostIp(), found.getHostPort());
    if (address.getAddress() != null && address.getAddress().isAnyLocalAddress()) {
      problems.add("task " + task.getId() + " of service " + serviceName + " reports "
          + found.getHostIp() + ":" + found.getHostPort() + " for port " + targetPort
          + ": a wildcard address is not routable; skipped");
      return Optional.empty();
    }
    return Optional.of(new Backend(task.getId(), address));
  }

  /** An IP literal becomes a resolved address without DNS; a name is resolved at connect time. */
  private static InetSocketAddress address(String host, int port) {
    InetAddress literal = NetUtil.createInetAddressFromIpAddressString(host);
    return literal != null
        ? new InetSocketAddress(literal, port)
        : InetSocketAddress.createUnresolved(host, port);
  }
}
