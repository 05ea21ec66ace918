package io.shoal.meshproxy.routes;

import io.shoal.api.v1.Protocol;

/**
 * A published port as the proxy serves it: protocol and number. TCP and UDP ports of the same
 * number are different keys, so UDP can be added without touching the TCP routes.
 */
public record PortKey(Protocol protocol, int port) {
  public PortKey {
    if (protocol != Protocol.PROTOCOL_TCP && protocol != Protocol.PROTOCOL_UDP) {
      throw new IllegalArgumentException("protocol must be TCP or UDP, got " + protocol);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535, got " + port);
    }
  }

  public static PortKey tcp(int port) {
    return new PortKey(Protocol.PROTOCOL_TCP, port);
  }

  /** "tcp" or "udp", as in {@code 8080/tcp} and in metric attributes. */
  public String transport() {
    return protocol == Protocol.PROTOCOL_TCP ? "tcp" : "udp";
  }

  @Override
  public String toString() {
    return port + "/" + transport();
  }
}
