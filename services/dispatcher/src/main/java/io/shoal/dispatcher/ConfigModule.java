package io.shoal.dispatcher;

import dagger.Module;
import dagger.Provides;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.store.StoreConfig;
import io.shoal.common.telemetry.TelemetryConfig;
import io.shoal.common.tracing.TraceSettings;
import jakarta.inject.Named;
import java.time.Duration;

/** Holds the parsed flags; built in {@link DispatcherMain} (or by a test) and given to the component. */
@Module
public final class ConfigModule {
  private final DispatcherConfig config;
  private final ServiceTls tls;
  private final TraceSettings traces;

  /** Plaintext gRPC (tests). */
  public ConfigModule(DispatcherConfig config) {
    this(config, ServiceTls.insecure());
  }

  public ConfigModule(DispatcherConfig config, ServiceTls tls) {
    this(config, tls, TraceSettings.OFF);
  }

  /** As above, with spans sent as {@code traces} says (--trace-endpoint, --trace-sampling). */
  public ConfigModule(DispatcherConfig config, ServiceTls tls, TraceSettings traces) {
    this.config = config;
    this.tls = tls;
    this.traces = traces;
  }

  @Provides
  ServiceTls tls() {
    return tls;
  }

  @Provides
  DispatcherConfig config() {
    return config;
  }

  @Provides
  StoreConfig store() {
    return config.store();
  }

  @Provides
  TelemetryConfig telemetry() {
    return new TelemetryConfig("shoal-dispatcher", config.listen().get(0).getHostString(), config.metricsPort(), traces);
  }

  @Provides
  @Named("heartbeatPeriod")
  Duration heartbeatPeriod() {
    return config.heartbeatPeriod();
  }

  @Provides
  @Named("dispatcherName")
  String name() {
    return config.name();
  }

  @Provides
  @Named("stallTimeout")
  Duration stallTimeout() {
    return config.stallTimeout();
  }
}
