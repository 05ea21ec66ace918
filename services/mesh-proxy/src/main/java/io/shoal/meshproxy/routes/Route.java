package io.shoal.meshproxy.routes;

import java.util.List;

/**
 * Where connections to one published port go: the backends of the service that publishes it,
 * in a stable order (slot, then task id) so round robin stays fair across table rebuilds. An
 * empty list is a valid route: the port stays open, and connections are closed at once.
 */
public record Route(
    PortKey key, String serviceId, String serviceName, int targetPort, List<Backend> backends) {
  public Route {
    backends = List.copyOf(backends);
  }

  @Override
  public String toString() {
    return key + " -> " + serviceName + ":" + targetPort + " " + backends;
  }
}
