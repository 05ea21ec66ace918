package io.shoal.control;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.ClusterKey;
import io.shoal.common.pki.Role;
import io.shoal.common.server.GoDurationConverter;
import io.shoal.common.server.ServerOptions;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.server.tls.CannotStartException;
import io.shoal.common.server.tls.CertificateRenewal;
import io.shoal.common.server.tls.ManagerOptions;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.server.tls.TlsOptions;
import io.shoal.common.store.EtcdOptions;
import io.shoal.common.store.StoreConfig;
import io.shoal.common.store.Writer;
import io.shoal.control.ca.CaCommand;
import io.shoal.control.network.NetworkOptions;
import java.io.UncheckedIOException;
import io.shoal.control.web.WebConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The control service: Shoal's user-facing API (shoal.v1.ControlService). */
@Command(name = "shoal-control", mixinStandardHelpOptions = true,
    description = "Serves shoal.v1.ControlService: validates and stores services and networks in etcd;"
        + " completes the scheduler's automatic rollbacks, gives newly registered nodes their spec and removes"
        + " registry credentials left without their service.",
    subcommands = CaCommand.class)
public final class ControlMain implements Callable<Integer> {
  @Mixin ServerOptions server = new ServerOptions();
  @Mixin EtcdOptions etcd = new EtcdOptions();
  @Mixin TlsOptions tlsOptions = new TlsOptions();
  @Mixin ManagerOptions cluster = new ManagerOptions();
  @Mixin NetworkOptions networks = new NetworkOptions();

  @Option(names = "--registry", defaultValue = "${env:SHOAL_REGISTRY_SERVICE:-127.0.0.1:7401}",
      description = "host:port of the registry service (default: ${DEFAULT-VALUE}).")
  String registry;

  // Orphans are rare, and harmless until swept: nothing hands out credentials without a task.
  @Option(names = "--credentials-sweep-interval", defaultValue = "10m", converter = GoDurationConverter.class,
      description = "How often registry credentials left without their service are looked for and removed"
          + " (default: ${DEFAULT-VALUE}).")
  Duration sweepInterval;

  @Option(names = "--cluster-key-file", defaultValue = "${env:SHOAL_CLUSTER_KEY_FILE}",
      description = "File holding the cluster key (base64 of 32 random bytes, the registry service's) that seals"
          + " secrets, the cluster CA's key and the join tokens in etcd; env SHOAL_CLUSTER_KEY_FILE, or the key"
          + " itself in env SHOAL_CLUSTER_KEY. The first control to start with it creates the cluster CA. Without a"
          + " key there are no secrets and no CA: secret create, `shoal cluster ca` and `join-token` are refused.")
  Path clusterKeyFile;

  /**
   * SwarmKit refuses below an hour; a minute here lets an end-to-end test watch a renewal, and
   * nodes renew at half of it at the soonest.
   */
  static final Duration MIN_CERT_EXPIRY = Duration.ofMinutes(1);

  // Swarm's default; SwarmKit refuses below an hour, as renewal at half of it needs some room.
  @Option(names = "--cert-expiry", defaultValue = "${env:SHOAL_CERT_EXPIRY:-2160h}", converter = GoDurationConverter.class,
      description = "How long the node certificates the cluster CA issues are valid; nodes renew at 50-80%%"
          + " of it (default: ${DEFAULT-VALUE}, 90 days; at least 1m).")
  Duration certExpiry;

  @Option(names = "--pki-dir", defaultValue = "${env:SHOAL_PKI_DIR}",
      description = "Directory where `shoal-control ca init` made the cluster CA (env SHOAL_PKI_DIR): stored in etcd"
          + " when etcd has no CA yet; control refuses to start when etcd holds another. Without it, control loads"
          + " the CA from etcd, or creates one.")
  Path pkiDir;

  @Option(names = "--web-listen", defaultValue = "${env:SHOAL_WEB_LISTEN}",
      description = "host:port of the cluster page (hosts as columns, tasks as cards, live): plain HTTP on a loopback"
          + " address, else HTTPS asking for a manager's certificate of the cluster (refused with --insecure)."
          + " Unset (default): no page.")
  String webListen;

  @Option(names = "--prometheus-url", defaultValue = "${env:SHOAL_PROMETHEUS_URL}",
      description = "Prometheus's base URL (e.g. http://127.0.0.1:9090) whose range queries the cluster page draws"
          + " as each service's graphs; control asks it, not the browser. Unset: the page says graphs are off.")
  String prometheusUrl;

  @Spec CommandSpec spec;

  /** The cluster key from --cluster-key-file, else from SHOAL_CLUSTER_KEY; never from etcd. */
  Optional<ClusterKey> clusterKey() {
    return ClusterKey.fromFileOrEnvironment(clusterKeyFile);
  }

  /**
   * Starts control and serves until stopped. A cluster key that cannot be read, or that does not
   * open the CA in etcd, ends it at once with one line on stderr and exit code 1.
   */
  @Override
  public Integer call() throws InterruptedException {
    if (certExpiry.compareTo(MIN_CERT_EXPIRY) < 0) {
      return refuse("--cert-expiry " + certExpiry.toSeconds() + "s is below 1m: nodes would spend their time"
          + " renewing");
    }
    try {
      if (cluster.joinToken().isPresent()) {
        return refuse("--join-token: control holds the cluster's CA and issues the certificates others join for;"
            + " issue its own with `shoal-control ca issue --role manager --name control`");
      }
      ControlConfig config = config(Optional.ofNullable(tlsOptions.certDir));
      ServiceTls tls = cluster.tls(tlsOptions, "control", Role.MANAGER);
      Control control = DaggerControlComponent.builder()
          .configModule(new ConfigModule(config, tls, server.traceSettings()))
          .build()
          .control();
      ServiceMain.run("control", control, control::start,
          CertificateRenewal.start("control", tls, cluster.manager()));
      return 0;
    } catch (IllegalArgumentException | UncheckedIOException | CannotStartException e) {
      return refuse(e.getMessage());
    } catch (ShoalException e) {
      if (e.code() != Status.Code.FAILED_PRECONDITION) {
        throw e;
      }
      return refuse(e.getMessage());
    }
  }

  private int refuse(String reason) {
    spec.commandLine().getErr().println("shoal-control: cannot start: " + reason);
    spec.commandLine().getErr().flush();
    return 1;
  }

  ControlConfig config() {
    return config(Optional.empty());
  }

  ControlConfig config(Optional<Path> certDir) {
    return new ControlConfig(server.listenAddresses("127.0.0.1:7400"),
        server.metricsPort == null ? 9400 : server.metricsPort,
        etcd.config(Writer.CONTROL, certDir), ServerOptions.parseHostPort(registry),
        sweepInterval, networks.config(), clusterKey(), certExpiry, Optional.ofNullable(pkiDir),
        new WebConfig(Optional.ofNullable(webListen).map(ServerOptions::parseHostPort),
            Optional.ofNullable(prometheusUrl).map(ControlMain::prometheusUri)));
  }

  private static URI prometheusUri(String url) {
    URI uri = URI.create(url);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("--prometheus-url " + url + ": not an http(s) URL with a host");
    }
    return uri;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ControlMain()).execute(args));
  }
}
