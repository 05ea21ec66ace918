package io.shoal.common.server;

import io.shoal.common.tracing.TraceSettings;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** The gRPC listen address and the Prometheus port of a service. */
public final class ServerOptions {
  @Option(
      names = "--listen",
      description = "host:port for gRPC (health and reflection included); a comma-separated list "
          + "listens on each, e.g. loopback and a lab bridge (metrics on the first host).")
  public String listen;

  @Option(
      names = "--metrics-port",
      description = "Port of the Prometheus /metrics endpoint, on the gRPC host; 0 disables it.")
  public Integer metricsPort;

  @Option(
      names = "--trace-endpoint",
      defaultValue = "${env:SHOAL_TRACE_ENDPOINT}",
      description = "Zipkin's span endpoint, e.g. http://127.0.0.1:9411 (/api/v2/spans is added); "
          + "env SHOAL_TRACE_ENDPOINT. Without one no span is recorded or sent.")
  public String traceEndpoint;

  @Option(
      names = "--trace-sampling",
      defaultValue = "${env:SHOAL_TRACE_SAMPLING:-1}",
      description = "Share of new traces recorded, 0 to 1 (default ${DEFAULT-VALUE}); a call that "
          + "arrives traced is always recorded. Env SHOAL_TRACE_SAMPLING.")
  public String traceSampling;

  /**
   * The trace flags as settings.
   *
   * @throws IllegalArgumentException naming the flag and the value when either is malformed
   */
  public TraceSettings traceSettings() {
    return TraceSettings.parse(traceEndpoint, traceSampling);
  }

  /** The addresses of {@code --listen}, or of {@code defaultListen} without it; never empty. */
  public List<InetSocketAddress> listenAddresses(String defaultListen) {
    return parseHostPorts(listen == null ? defaultListen : listen);
  }

  /** {@code host:port[,host:port...]}, in order. */
  public static List<InetSocketAddress> parseHostPorts(String hostPorts) {
    return Arrays.stream(hostPorts.split(",", -1))
        .map(String::strip)
        .map(ServerOptions::parseHostPort)
        .toList();
  }

  public static InetSocketAddress parseHostPort(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'");
    }
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
