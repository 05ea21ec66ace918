package io.shoal.common.server;

import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/** The gRPC listen address and the Prometheus port of a service. */
public final class ServerOptions {
  @Option(
      names = "--listen",
      description = "host:port for gRPC (health and reflection included).")
  public String listen;

  @Option(
      names = "--metrics-port",
      description = "Port of the Prometheus /metrics endpoint, on the gRPC host; 0 disables it.")
  public Integer metricsPort;

  public static InetSocketAddress parseHostPort(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'");
    }
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
