package io.shoal.agent;

import io.shoal.agent.docker.DockerTimeouts;
import io.shoal.agent.session.DispatcherEndpoints;
import io.shoal.agent.worker.WorkerLimits;
import io.shoal.common.pki.Role;
import io.shoal.common.server.GoDurationConverter;
import io.shoal.common.server.ServerOptions;
import io.shoal.common.tracing.TraceSettings;
import io.shoal.common.server.tls.ManagerOptions;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.server.tls.TlsOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The agent's command line. */
@Command(
    name = "shoal-node-agent",
    mixinStandardHelpOptions = true,
    version = "shoal-node-agent 0.1.0",
    description = "Runs the tasks the dispatcher assigns to this node on the local dockerd.",
    footer = {"", "Defaults: --listen ADDR:" + AgentFlags.DEFAULT_GRPC_PORT + ", --metrics-port "
        + AgentFlags.DEFAULT_METRICS_PORT + " (bound on the --listen host)."})
public final class AgentFlags {
  public static final int DEFAULT_GRPC_PORT = 7404;
  public static final int DEFAULT_METRICS_PORT = 9404;

  @Option(names = "--hostname", description = "Node name (default: this machine's host name).")
  String hostname;

  @Option(names = "--addr", required = true,
      description = "IP address this node binds published ports on, e.g. 127.0.0.2.")
  String addr;

  @Option(names = "--dispatcher", defaultValue = "${env:SHOAL_DISPATCHER:-127.0.0.1:7403}",
      description = "host:port of the dispatchers, comma-separated (DNS names allowed): the agent starts at a "
          + "random one and moves to the next when its session breaks (env SHOAL_DISPATCHER; default: ${DEFAULT-VALUE}).")
  String dispatcher;

  @Option(names = "--registry", defaultValue = "${env:SHOAL_REGISTRY_SERVICE:-127.0.0.1:7401}",
      description = "host:port of the registry service, which hands out pull credentials of services"
          + " created with --with-registry-auth (env SHOAL_REGISTRY_SERVICE; default: ${DEFAULT-VALUE}).")
  String registry;

  @Option(names = "--docker-host", defaultValue = "${env:DOCKER_HOST:-unix:///var/run/docker.sock}",
      description = "Docker engine address (env DOCKER_HOST; default: ${DEFAULT-VALUE}).")
  String dockerHost;

  @Option(names = "--state-dir",
      description = "Directory for the node's persistent state (its id in STATE_DIR/node-id; "
          + "default: /var/lib/shoal/node-agent/HOSTNAME).")
  Path stateDir;

  @Option(names = "--task-files-dir",
      description = "Where each task with secrets or configs gets its own tmpfs for their files, mounted at"
          + " DIR/TASK_ID while its container exists (default: STATE_DIR/task-files).")
  Path taskFilesDir;

  @Option(names = "--task-workers", defaultValue = "32",
      description = "Threads for engine work (pulls, creates, stops); more tasks wait their turn "
          + "(default: ${DEFAULT-VALUE}).")
  int taskWorkers;

  @Option(names = "--task-queue", defaultValue = "1024",
      description = "Task passes queued for a worker; beyond it a pass waits its turn outside the queue, counted "
          + "in shoal.agent.worker.rejected (default: ${DEFAULT-VALUE}).")
  int taskQueue;

  @Option(names = "--docker-timeout", defaultValue = "1m", converter = GoDurationConverter.class,
      description = "How long dockerd may take to answer a call (a stop: its grace period more) before "
          + "the call fails and its task is retried or rejected (default: ${DEFAULT-VALUE}).")
  Duration dockerTimeout;

  @Option(names = "--pull-timeout", defaultValue = "10m", converter = GoDurationConverter.class,
      description = "How long an image pull may take before it is abandoned and its task REJECTED "
          + "(default: ${DEFAULT-VALUE}).")
  Duration pullTimeout;

  @Option(names = "--overlay-mtu", defaultValue = "1450",
      description = "MTU of overlay networks' bridges and VXLAN devices on this host: the host "
          + "network's MTU less VXLAN's 50 bytes (default: ${DEFAULT-VALUE}, for 1500).")
  int overlayMtu;

  @Option(names = "--dns-upstream", split = ",", paramLabel = "HOST[:PORT]",
      description = "DNS servers that tasks on overlay networks ask for names outside the cluster, in order "
          + "(default: the nameservers of /etc/resolv.conf).")
  List<String> dnsUpstreams = List.of();

  @Mixin
  ServerOptions server = new ServerOptions();

  @Mixin
  TlsOptions tls = new TlsOptions();

  @Mixin
  ManagerOptions cluster = new ManagerOptions();

  /**
   * The agent's TLS: a worker's certificate whose common name is the node id (joining first with
   * --join-token when its directory has none: --cert-dir, default STATE_DIR/certs), or none with
   * --insecure.
   */
  public ServiceTls tls() {
    return cluster.tls(tls, "node agent", Role.WORKER, Optional.of(stateDir().resolve("certs")));
  }

  /** --manager: control's host:port, where the node joins and renews its certificate. */
  public Optional<String> manager() {
    return cluster.manager();
  }

  /** Parses {@code args}; throws picocli's ParameterException on bad input. */
  public static AgentFlags parse(String... args) {
    AgentFlags flags = new AgentFlags();
    CommandLine cli = new CommandLine(flags);
    cli.parseArgs(args);
    flags.validate(cli);
    return flags;
  }

  /** Checks what picocli cannot: bounds that must be positive, the dispatchers' addresses, the trace flags. */
  void validate(CommandLine cli) {
    if (taskWorkers < 1 || taskQueue < 1) {
      throw new CommandLine.ParameterException(cli, "--task-workers and --task-queue must be at least 1");
    }
    if (overlayMtu < 576 || overlayMtu > 65_485) {
      throw new CommandLine.ParameterException(cli, "--overlay-mtu must be 576 to 65485 (IPv4's minimum to the VXLAN maximum)");
    }
    if (dockerTimeout.isNegative() || dockerTimeout.isZero()
        || pullTimeout.isNegative() || pullTimeout.isZero()) {
      throw new CommandLine.ParameterException(cli, "--docker-timeout and --pull-timeout must be positive");
    }
    try {
      DispatcherEndpoints.parse(dispatcher);
      server.traceSettings();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli, e.getMessage());
    }
  }

  public String hostname() {
    if (hostname != null && !hostname.isBlank()) {
      return hostname;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "localhost" : env;
    }
  }

  public String addr() {
    return addr;
  }

  public String dispatcher() {
    return dispatcher;
  }

  /** --dispatcher's addresses. */
  public List<String> dispatchers() {
    return DispatcherEndpoints.parse(dispatcher);
  }

  public String registry() {
    return registry;
  }

  public String dockerHost() {
    return dockerHost;
  }

  public WorkerLimits workerLimits() {
    return new WorkerLimits(taskWorkers, taskQueue);
  }

  public DockerTimeouts dockerTimeouts() {
    return new DockerTimeouts(dockerTimeout, pullTimeout);
  }

  /** --dns-upstream, or the nameservers of /etc/resolv.conf; port 53 unless given. */
  public List<InetSocketAddress> dnsUpstreams() {
    if (dnsUpstreams.isEmpty()) {
      try {
        return io.shoal.agent.discovery.ResolvConf.nameservers(Path.of("/etc/resolv.conf"));
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot read /etc/resolv.conf for DNS upstreams (give --dns-upstream): "
            + e.getMessage(), e);
      }
    }
    return dnsUpstreams.stream().map(u -> u.contains(":") ? ServerOptions.parseHostPort(u)
        : new InetSocketAddress(u, 53)).toList();
  }

  public int overlayMtu() {
    return overlayMtu;
  }

  public Path stateDir() {
    return stateDir != null ? stateDir : Path.of("/var/lib/shoal/node-agent", hostname());
  }

  /** The mount points of tasks' file tmpfs: {@code --task-files-dir}, default STATE_DIR/task-files. */
  public Path taskFilesDir() {
    return taskFilesDir != null ? taskFilesDir : stateDir().resolve("task-files");
  }

  /** gRPC health/reflection: {@code --listen}, default ADDR:7404. */
  public InetSocketAddress listen() {
    return server.listen != null
        ? ServerOptions.parseHostPort(server.listen)
        : new InetSocketAddress(addr, DEFAULT_GRPC_PORT);
  }

  /** Prometheus port, bound on the listen host; 0 disables it. */
  public int metricsPort() {
    return server.metricsPort != null ? server.metricsPort : DEFAULT_METRICS_PORT;
  }

  /** Where spans go (--trace-endpoint, --trace-sampling); refused when malformed. */
  public TraceSettings traceSettings() {
    return server.traceSettings();
  }
}
