package io.shoal.common.telemetry;

import dagger.Module;
import dagger.Provides;
import io.opentelemetry.api.OpenTelemetry;
import io.shoal.common.server.tls.ServiceTls;
import jakarta.inject.Singleton;

/**
 * Telemetry in a service's graph, started from the {@link TelemetryConfig} the service's config
 * module provides; its /metrics is HTTPS for a manager's certificate when the service has TLS. The service's entry point closes it, last. Its {@link OpenTelemetry} is in the
 * graph too, for parts that export metrics without knowing {@link Telemetry} (the store).
 */
@Module
public final class TelemetryModule {
  private TelemetryModule() {}

  @Provides
  @Singleton
  static Telemetry telemetry(TelemetryConfig config, ServiceTls tls) {
    return Telemetry.start(config.serviceName(), config.host(), config.metricsPort(), tls.metricsContext(),
        config.traces());
  }

  @Provides
  static OpenTelemetry openTelemetry(Telemetry telemetry) {
    return telemetry.openTelemetry();
  }
}
