package io.shoal.registry;

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
import io.shoal.registry.credentials.ClusterKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The registry service: resolves image references against registries' HTTP API v2. */
@Command(name = "shoal-registry", mixinStandardHelpOptions = true,
    description = "Resolves image tags to digests for Shoal (gRPC shoal.v1.RegistryService).")
public final class RegistryMain implements Callable<Integer> {
  @Mixin ServerOptions server = new ServerOptions();
  @Mixin EtcdOptions etcd = new EtcdOptions();
  @Mixin TlsOptions tlsOptions = new TlsOptions();
  @Mixin ManagerOptions cluster = new ManagerOptions();
  @Spec CommandSpec spec;

  @Option(names = "--insecure-registry", split = ",",
      description = "Registries (host:port) spoken to over plain HTTP; loopback ones always are.")
  List<String> insecureRegistries = List.of();

  @Option(names = "--registry-timeout", defaultValue = "5s",
      description = "How long to wait for a registry (default: ${DEFAULT-VALUE}).", converter = GoDurationConverter.class)
  Duration timeout;

  @Option(names = "--resolve-cache-ttl", defaultValue = "10s", converter = GoDurationConverter.class,
      description = "How long a tag's digest is reused before the registry is asked again; `service update"
          + " --image` always asks (default: ${DEFAULT-VALUE}; 0s disables the cache).")
  Duration cacheTtl;

  @Option(names = "--resolve-cache-size", defaultValue = "" + ResolutionCache.DEFAULT_MAX_ENTRIES,
      description = "Most answers the resolution cache keeps (one per reference and login); past it, expired"
          + " answers are dropped, then the least recently used (default: ${DEFAULT-VALUE}).")
  long cacheSize;

  @Option(names = "--cluster-key-file", defaultValue = "${env:SHOAL_CLUSTER_KEY_FILE}",
      description = "File holding the cluster key (base64 of 32 random bytes) that seals registry credentials"
          + " in etcd; env SHOAL_CLUSTER_KEY_FILE, or the key itself in env SHOAL_CLUSTER_KEY. Without a key,"
          + " --with-registry-auth is refused.")
  Path clusterKeyFile;

  /** The cluster key from --cluster-key-file, else from SHOAL_CLUSTER_KEY; never from etcd. */
  Optional<ClusterKey> clusterKey() {
    if (clusterKeyFile != null) {
      return Optional.of(ClusterKey.fromFile(clusterKeyFile));
    }
    String env = System.getenv("SHOAL_CLUSTER_KEY");
    return env == null || env.isBlank() ? Optional.empty() : Optional.of(ClusterKey.fromBase64(env));
  }

  @Override
  public Integer call() throws InterruptedException {
    RegistryConfig config;
    ServiceTls tls;
    Registry registry;
    try {
      config = config(Optional.ofNullable(tlsOptions.certDir));
      tls = cluster.tls(tlsOptions, "registry service", Role.MANAGER);
      registry = DaggerRegistryComponent.builder()
          .configModule(new ConfigModule(config, tls, server.traceSettings()))
          .build()
          .registry();
    } catch (CannotStartException | IllegalArgumentException e) {
      return ServiceMain.refuse(spec, "shoal-registry", e.getMessage());
    }
    ServiceMain.run("registry", registry, registry::start,
        CertificateRenewal.start("registry", tls, cluster.manager()));
    return 0;
  }

  RegistryConfig config() {
    return config(Optional.empty());
  }

  RegistryConfig config(Optional<Path> certDir) {
    return new RegistryConfig(server.listenAddresses("127.0.0.1:7401"),
        server.metricsPort == null ? 9401 : server.metricsPort,
        etcd.config(Writer.REGISTRY, certDir),
        Set.copyOf(insecureRegistries), timeout, cacheTtl, cacheSize, clusterKey());
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RegistryMain()).execute(args));
  }
}
