package io.shoal.agent;

import dagger.Module;
import dagger.Provides;
import io.shoal.common.telemetry.TelemetryConfig;

/** Holds the parsed flags; built in {@link NodeAgentMain} (or by a test) and given to the component. */
@Module
public final class ConfigModule {
  private final AgentFlags flags;

  public ConfigModule(AgentFlags flags) {
    this.flags = flags;
  }

  @Provides
  AgentFlags flags() {
    return flags;
  }

  @Provides
  TelemetryConfig telemetry() {
    return new TelemetryConfig("shoal-node-agent", flags.listen().getHostString(), flags.metricsPort());
  }
}
