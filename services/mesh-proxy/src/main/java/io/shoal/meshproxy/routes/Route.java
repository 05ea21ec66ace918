package io.shoal.meshproxy.routes;

import io.shoal.api.v1.LoadBalancing;
import io.shoal.api.v1.ProxyProtocol;
import java.util.List;

/**
 * Where connections to one published port go: the backends of the service that publishes it,
 * in a stable order (slot, then task id) so round robin stays fair across table rebuilds. An
 * empty list is a valid route: the port stays open, and connections are closed at once.
 *
 * @param loadBalancing how a backend is picked (never UNSPECIFIED: the builder resolves it)
 * @param proxyProtocol the PROXY protocol header sent to the backend first (NONE: no header)
 */
public record Route(
    PortKey key,
    String serviceId,
    String serviceName,
    int targetPort,
    List<Backend> backends,
    LoadBalancing loadBalancing,
    ProxyProtocol proxyProtocol) {
  public Route {
    backends = List.copyOf(backends);
  }

  /** A round-robin route without PROXY protocol header. */
  public Route(
      PortKey key, String serviceId, String serviceName, int targetPort, List<Backend> backends) {
    this(key, serviceId, serviceName, targetPort, backends,
        LoadBalancing.LOAD_BALANCING_ROUND_ROBIN, ProxyProtocol.PROXY_PROTOCOL_NONE);
  }

  @Override
  public String toString() {
    return key + " -> " + serviceName + ":" + targetPort + " " + backends;
  }
}
