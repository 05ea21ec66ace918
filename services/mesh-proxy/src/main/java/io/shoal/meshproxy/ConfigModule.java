package io.shoal.meshproxy;

import dagger.Module;
import dagger.Provides;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.store.StoreConfig;
import io.shoal.common.store.Writer;
import io.shoal.common.telemetry.TelemetryConfig;
import io.shoal.common.tracing.TraceSettings;
import java.nio.file.Path;
import java.util.Optional;

/** Holds the parsed flags; built in {@link MeshProxyMain} (or by a test) and given to the component. */
@Module
public final class ConfigModule {
  private final MeshProxyConfig config;
  private final ServiceTls tls;
  private final Optional<Path> etcdCertDir;
  private final TraceSettings traces;

  /** Plaintext gRPC and etcd (tests). */
  public ConfigModule(MeshProxyConfig config) {
    this(config, ServiceTls.insecure(), Optional.empty());
  }

  /** @param etcdCertDir TLS files for etcd (--etcd-cert-dir, else --cert-dir); empty: plain etcd */
  public ConfigModule(MeshProxyConfig config, ServiceTls tls, Optional<Path> etcdCertDir) {
    this(config, tls, etcdCertDir, TraceSettings.OFF);
  }

  /** As above, with spans sent as {@code traces} says (--trace-endpoint, --trace-sampling). */
  public ConfigModule(MeshProxyConfig config, ServiceTls tls, Optional<Path> etcdCertDir, TraceSettings traces) {
    this.config = config;
    this.tls = tls;
    this.etcdCertDir = etcdCertDir;
    this.traces = traces;
  }

  @Provides
  ServiceTls tls() {
    return tls;
  }

  @Provides
  MeshProxyConfig config() {
    return config;
  }

  @Provides
  StoreConfig store() {
    return new StoreConfig(config.etcdEndpoints(), config.etcdPrefix(), Writer.MESH_PROXY, etcdCertDir);
  }

  @Provides
  TelemetryConfig telemetry() {
    return new TelemetryConfig("mesh-proxy", config.address().getHostAddress(), config.metricsPort(), traces);
  }
}
