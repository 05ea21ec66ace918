package io.shoal.agent;

import dagger.Module;
import dagger.Provides;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.telemetry.TelemetryConfig;

/** Holds the parsed flags; built in {@link NodeAgentMain} (or by a test) and given to the component. */
@Module
public final class ConfigModule {
  private final AgentFlags flags;
  private final ServiceTls tls;

  /** Plaintext gRPC (tests). */
  public ConfigModule(AgentFlags flags) {
    this(flags, ServiceTls.insecure());
  }

  public ConfigModule(AgentFlags flags, ServiceTls tls) {
    this.flags = flags;
    this.tls = tls;
  }

  @Provides
  ServiceTls tls() {
    return tls;
  }

  @Provides
  AgentFlags flags() {
    return flags;
  }

  @Provides
  TelemetryConfig telemetry() {
    return new TelemetryConfig("shoal-node-agent", flags.listen().getHostString(), flags.metricsPort(),
        flags.traceSettings());
  }
}
