package io.shoal.meshproxy.metrics;

import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.meshproxy.routes.PortKey;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * The mesh's metrics, per published port (attributes {@code server.port} and
 * {@code network.transport}). In Prometheus:
 *
 * <pre>
 * shoal_mesh_connections_accepted_total   connections accepted on the port
 * shoal_mesh_connections_active           connections open now
 * shoal_mesh_received_bytes_total         bytes read from clients (in)
 * shoal_mesh_sent_bytes_total             bytes written to clients (out)
 * shoal_mesh_backend_connect_errors_total backends that refused or did not answer a connect
 * shoal_mesh_connections_refused_total    clients turned away: no backend, or none accepted
 * shoal_mesh_connections_over_limit_total clients turned away: the port or proxy is full
 *                                         (--max-connections[-per-port], --udp-max-flows[-per-port])
 * shoal_mesh_connections_evicted_total    quiet connections and UDP flows of a full port ended
 *                                         to make room for a new client
 * shoal_mesh_connections_idle_closed_total TCP connections closed by --tcp-idle-timeout-ms
 * shoal_mesh_connections_half_closed_expired_total  half-closed TCP connections closed by
 *                                         --tcp-half-closed-timeout-ms
 * shoal_mesh_backend_connect_duration_seconds  histogram: time for a backend to accept
 *                                         (UDP: to send its first reply)
 * </pre>
 *
 * A port's counters outlive its listener, so they stay monotonic when a port is unpublished
 * and published again.
 */
@Singleton
public final class ProxyMetrics implements AutoCloseable {
  private final ConcurrentHashMap<PortKey, PortStats> ports = new ConcurrentHashMap<>();
  private final List<AutoCloseable> instruments = new ArrayList<>();
  private final DoubleHistogram connectLatency;

  @Inject
  public ProxyMetrics(Telemetry telemetry) {
    Meter meter = telemetry.meter("io.shoal.meshproxy");
    instruments.add(meter.counterBuilder("shoal.mesh.connections.accepted")
        .setUnit("{connection}")
        .setDescription("Client connections accepted on a published port.")
        .buildWithCallback(m -> observe(m, PortStats::accepted)));
    instruments.add(meter.upDownCounterBuilder("shoal.mesh.connections.active")
        .setUnit("{connection}")
        .setDescription("Client connections open on a published port.")
        .buildWithCallback(m -> observe(m, PortStats::active)));
    instruments.add(meter.counterBuilder("shoal.mesh.received")
        .setUnit("By")
        .setDescription("Bytes read from clients of a published port.")
        .buildWithCallback(m -> observe(m, PortStats::received)));
    instruments.add(meter.counterBuilder("shoal.mesh.sent")
        .setUnit("By")
        .setDescription("Bytes written to clients of a published port.")
        .buildWithCallback(m -> observe(m, PortStats::sent)));
    instruments.add(meter.counterBuilder("shoal.mesh.backend.connect.errors")
        .setUnit("{error}")
        .setDescription("Backend connections that failed (refused, timed out, unreachable).")
        .buildWithCallback(m -> observe(m, PortStats::connectErrors)));
    instruments.add(meter.counterBuilder("shoal.mesh.connections.refused")
        .setUnit("{connection}")
        .setDescription("Clients closed at once: no backend, or no backend accepted.")
        .buildWithCallback(m -> observe(m, PortStats::refused)));
    instruments.add(meter.counterBuilder("shoal.mesh.connections.over_limit")
        .setUnit("{connection}")
        .setDescription("Clients turned away because the port or the proxy holds as many "
            + "connections (UDP: flows) as it may.")
        .buildWithCallback(m -> observe(m, PortStats::overLimit)));
    instruments.add(meter.counterBuilder("shoal.mesh.connections.evicted")
        .setUnit("{connection}")
        .setDescription("Quiet connections and UDP flows of a full port ended early to make "
            + "room for a new client.")
        .buildWithCallback(m -> observe(m, PortStats::evicted)));
    instruments.add(meter.counterBuilder("shoal.mesh.connections.idle_closed")
        .setUnit("{connection}")
        .setDescription("TCP connections closed after the idle timeout without a byte either way.")
        .buildWithCallback(m -> observe(m, PortStats::idleClosed)));
    instruments.add(meter.counterBuilder("shoal.mesh.connections.half_closed_expired")
        .setUnit("{connection}")
        .setDescription("Half-closed TCP connections closed after staying quiet for the "
            + "half-closed timeout.")
        .buildWithCallback(m -> observe(m, PortStats::halfClosedExpired)));
    // Loopback and LAN connects take tens of microseconds to a few milliseconds.
    connectLatency = meter.histogramBuilder("shoal.mesh.backend.connect.duration")
        .setUnit("s")
        .setDescription("Time for a backend to accept a connection (UDP: to send a first reply).")
        .setExplicitBucketBoundariesAdvice(List.of(
            0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 1.0, 3.0))
        .build();
  }

  private void observe(ObservableLongMeasurement measurement, ToLongFunction<PortStats> value) {
    for (PortStats stats : ports.values()) {
      measurement.record(value.applyAsLong(stats), stats.attributes());
    }
  }

  /** The counters of {@code key}, created on first use. */
  public PortStats port(PortKey key) {
    return ports.computeIfAbsent(key, k -> new PortStats(k, connectLatency));
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable instrument : instruments) {
      instrument.close();
    }
  }
}
