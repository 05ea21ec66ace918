package io.shoal.control;

import dagger.Module;
import dagger.Provides;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.ClusterKey;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.store.StoreConfig;
import io.shoal.common.telemetry.TelemetryConfig;
import io.shoal.common.tracing.TraceSettings;
import io.shoal.control.network.NetworkConfig;

/** Holds the parsed flags; built in {@link ControlMain} (or by a test) and given to the component. */
@Module
public final class ConfigModule {
  private final ControlConfig config;
  private final ServiceTls tls;
  private final TraceSettings traces;

  /** Plaintext gRPC (tests). */
  public ConfigModule(ControlConfig config) {
    this(config, ServiceTls.insecure());
  }

  public ConfigModule(ControlConfig config, ServiceTls tls) {
    this(config, tls, TraceSettings.OFF);
  }

  /** As above, with spans sent as {@code traces} says (--trace-endpoint, --trace-sampling). */
  public ConfigModule(ControlConfig config, ServiceTls tls, TraceSettings traces) {
    this.config = config;
    this.tls = tls;
    this.traces = traces;
  }

  @Provides
  ServiceTls tls() {
    return tls;
  }

  @Provides
  ControlConfig config() {
    return config;
  }

  @Provides
  StoreConfig store() {
    return config.store();
  }

  @Provides
  NetworkConfig networks() {
    return config.networks();
  }

  /** Asked for when a secret is created (through a Provider), not at start. */
  @Provides
  ClusterKey clusterKey() {
    return config.clusterKey().orElseThrow(() -> ShoalException.failedPrecondition(
        "control has no cluster key, so it cannot keep secrets; start it with --cluster-key-file FILE"
            + " or SHOAL_CLUSTER_KEY (base64 of 32 random bytes)"));
  }

  @Provides
  TelemetryConfig telemetry() {
    return new TelemetryConfig("shoal-control", config.listen().get(0).getHostString(), config.metricsPort(), traces);
  }
}
