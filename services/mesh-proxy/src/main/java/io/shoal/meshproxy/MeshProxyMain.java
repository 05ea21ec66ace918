package io.shoal.meshproxy;

import io.shoal.common.pki.Role;
import io.shoal.common.server.ServerOptions;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.server.tls.CannotStartException;
import io.shoal.common.server.tls.CertificateRenewal;
import io.shoal.common.server.tls.ManagerOptions;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.server.tls.TlsOptions;
import io.shoal.common.store.EtcdOptions;
import io.shoal.common.store.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code mesh-proxy --addr 127.0.0.2}: the routing mesh of one node. */
@Command(
    name = "mesh-proxy",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Shoal's routing mesh for one node: serves every published ingress port of every "
            + "service on the node's address and forwards each TCP connection and UDP flow to a "
            + "RUNNING task (round robin, or least-conn). Reads services and tasks from etcd; "
            + "writes nothing.",
        ""},
    footer = {
        "",
        "Defaults: --listen ADDR:" + MeshProxyMain.DEFAULT_GRPC_PORT + ", --metrics-port "
            + MeshProxyMain.DEFAULT_METRICS_PORT + " (Prometheus /metrics on ADDR)."})
public final class MeshProxyMain implements Callable<Integer> {
  static final int DEFAULT_GRPC_PORT = 7405;
  static final int DEFAULT_METRICS_PORT = 9405;

  @Spec
  CommandSpec spec;

  @Option(
      names = "--addr",
      required = true,
      paramLabel = "ADDR",
      description = "This node's address (127.0.0.N on one machine): published ports, gRPC "
          + "and metrics are served there.")
  String addr;

  @Mixin
  EtcdOptions etcd = new EtcdOptions();

  @Mixin
  ServerOptions server = new ServerOptions();

  @Mixin
  TlsOptions tlsOptions = new TlsOptions();

  @Mixin
  ManagerOptions cluster = new ManagerOptions();

  @Option(
      names = "--backend-connect-timeout-ms",
      defaultValue = "3000",
      paramLabel = "MS",
      description = "How long a backend may take to accept a connection before the next one "
          + "is tried (default: ${DEFAULT-VALUE}).")
  int backendConnectTimeoutMs;

  @Option(
      names = "--drain-timeout-ms",
      defaultValue = "30000",
      paramLabel = "MS",
      description = "How long the open connections of a task that left the routes (its desired "
          + "state turned SHUTDOWN) may go on before they are closed (default: ${DEFAULT-VALUE}).")
  int drainTimeoutMs;

  @Option(
      names = "--udp-idle-timeout-ms",
      defaultValue = "30000",
      paramLabel = "MS",
      description = "How long a UDP flow (one client address to one task) lives without a "
          + "datagram either way (default: ${DEFAULT-VALUE}).")
  int udpIdleTimeoutMs;

  @Option(
      names = "--tcp-idle-timeout-ms",
      defaultValue = "600000",
      paramLabel = "MS",
      description = "A TCP connection with no byte either way for this long is closed "
          + "(default: ${DEFAULT-VALUE}, nginx stream's proxy_timeout).")
  long tcpIdleTimeoutMs;

  @Option(
      names = "--tcp-half-closed-timeout-ms",
      defaultValue = "30000",
      paramLabel = "MS",
      description = "Once one side of a TCP connection has sent its FIN, how long the other "
          + "direction may stay quiet before the connection is closed (default: ${DEFAULT-VALUE}).")
  long tcpHalfClosedTimeoutMs;

  @Option(
      names = "--max-connections-per-port",
      defaultValue = "2048",
      paramLabel = "N",
      description = "TCP connections open at once through one published port; when full, a new "
          + "client takes the place of the connection quiet longest if that is at least "
          + "--evict-quiet-after-ms, else it is reset; both are counted (default: ${DEFAULT-VALUE}).")
  int maxConnectionsPerPort;

  @Option(
      names = "--max-connections",
      defaultValue = "4096",
      paramLabel = "N",
      description = "TCP connections open at once through this proxy, each holding two file "
          + "descriptors (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--udp-max-flows-per-port",
      defaultValue = "2048",
      paramLabel = "N",
      description = "UDP flows (one socket per client address) of one published port; when full, "
          + "the flow quiet longest is evicted if that is at least --evict-quiet-after-ms, else "
          + "the new client's datagram is dropped (default: ${DEFAULT-VALUE}).")
  int udpMaxFlowsPerPort;

  @Option(
      names = "--udp-max-flows",
      defaultValue = "4096",
      paramLabel = "N",
      description = "UDP flows of this proxy (default: ${DEFAULT-VALUE}).")
  int udpMaxFlows;

  @Option(
      names = "--evict-quiet-after-ms",
      defaultValue = "1000",
      paramLabel = "MS",
      description = "How long a connection or UDP flow must have been quiet before a new client "
          + "of its full port may take its place (default: ${DEFAULT-VALUE}).")
  long evictQuietAfterMs;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  public static void main(String[] args) {
    System.exit(new CommandLine(new MeshProxyMain()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    MeshProxyConfig config = config();
    ServiceTls tls;
    Optional<Path> etcdCertDir;
    MeshProxy proxy;
    try {
      tls = cluster.tls(tlsOptions, "mesh-proxy", Role.MANAGER);
      // It reads etcd: a manager's certificate for etcd today (a known trust gap: etcd has no narrower role).
      etcdCertDir = etcd.config(Writer.MESH_PROXY, tls.directory()).certDir();
      proxy = DaggerMeshProxyComponent.builder()
          .configModule(new ConfigModule(config, tls, etcdCertDir, server.traceSettings()))
          .build()
          .meshProxy();
    } catch (CannotStartException | IllegalArgumentException e) {
      return ServiceMain.refuse(spec, "mesh-proxy", e.getMessage());
    }
    ServiceMain.run("mesh-proxy", proxy, proxy::start,
        CertificateRenewal.start("mesh-proxy", tls, cluster.manager()));
    return 0;
  }

  /** Validates the flags into a config; a bad flag is a usage error (exit code 2). */
  MeshProxyConfig config() {
    InetAddress address;
    try {
      address = InetAddress.getByName(addr);
    } catch (UnknownHostException e) {
      throw new ParameterException(spec.commandLine(), "--addr: unknown host '" + addr + "'");
    }
    if (!etcd.prefix.endsWith("/")) {
      throw new ParameterException(spec.commandLine(),
          "--etcd-prefix must end with '/': " + etcd.prefix);
    }
    InetSocketAddress listen;
    try {
      listen = server.listen != null
          ? ServerOptions.parseHostPort(server.listen)
          : new InetSocketAddress(address, DEFAULT_GRPC_PORT);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--listen: " + e.getMessage());
    }
    int metricsPort = server.metricsPort != null ? server.metricsPort : DEFAULT_METRICS_PORT;
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new ParameterException(spec.commandLine(), "--metrics-port must be 0-65535");
    }
    if (backendConnectTimeoutMs <= 0) {
      throw new ParameterException(spec.commandLine(), "--backend-connect-timeout-ms must be > 0");
    }
    if (drainTimeoutMs <= 0) {
      throw new ParameterException(spec.commandLine(), "--drain-timeout-ms must be > 0");
    }
    if (udpIdleTimeoutMs <= 0) {
      throw new ParameterException(spec.commandLine(), "--udp-idle-timeout-ms must be > 0");
    }
    if (tcpIdleTimeoutMs <= 0 || tcpHalfClosedTimeoutMs <= 0) {
      throw new ParameterException(spec.commandLine(),
          "--tcp-idle-timeout-ms and --tcp-half-closed-timeout-ms must be > 0");
    }
    if (maxConnectionsPerPort <= 0 || maxConnections <= 0 || udpMaxFlowsPerPort <= 0
        || udpMaxFlows <= 0) {
      throw new ParameterException(spec.commandLine(),
          "--max-connections[-per-port] and --udp-max-flows[-per-port] must be > 0");
    }
    if (evictQuietAfterMs < 0) {
      throw new ParameterException(spec.commandLine(), "--evict-quiet-after-ms must be >= 0");
    }
    MeshProxyConfig.Limits limits = new MeshProxyConfig.Limits(
        Duration.ofMillis(tcpIdleTimeoutMs), Duration.ofMillis(tcpHalfClosedTimeoutMs),
        maxConnectionsPerPort, maxConnections, udpMaxFlowsPerPort, udpMaxFlows,
        Duration.ofMillis(evictQuietAfterMs));
    return new MeshProxyConfig(address, etcd.endpoints, etcd.prefix, listen, metricsPort,
        Duration.ofMillis(backendConnectTimeoutMs), Duration.ofMillis(drainTimeoutMs),
        Duration.ofMillis(udpIdleTimeoutMs), limits);
  }
}
