package io.shoal.meshproxy.metrics;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.MeterProvider;
import io.shoal.meshproxy.routes.PortKey;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one published port. The data path only adds to striped {@link LongAdder}s (no
 * attribute lookups per read); {@link ProxyMetrics} reports them when the exporter collects.
 */
public final class PortStats {
  static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("network.transport");

  private final PortKey key;
  private final Attributes attributes;
  private final LongAdder accepted = new LongAdder();
  private final LongAdder active = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder connectErrors = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder overLimit = new LongAdder();
  private final LongAdder evicted = new LongAdder();
  private final LongAdder idleClosed = new LongAdder();
  private final LongAdder halfClosedExpired = new LongAdder();
  private final LongAdder connects = new LongAdder();
  private final LongAdder connectNanos = new LongAdder();
  private final DoubleHistogram connectLatency;

  /** Counters only, no latency histogram (for tests of the data path). */
  public PortStats(PortKey key) {
    this(key, MeterProvider.noop().get("unused").histogramBuilder("unused").build());
  }

  /** @param connectLatency records each backend connect time in seconds, with this port's attributes */
  public PortStats(PortKey key, DoubleHistogram connectLatency) {
    this.key = key;
    this.attributes = Attributes.of(PORT, (long) key.port(), TRANSPORT, key.transport());
    this.connectLatency = connectLatency;
  }

  public PortKey key() {
    return key;
  }

  Attributes attributes() {
    return attributes;
  }

  /** A client connection (or UDP flow) was accepted; pair with {@link #onClosed()}. */
  public void onAccepted() {
    accepted.increment();
    active.increment();
  }

  public void onClosed() {
    active.decrement();
  }

  /** Bytes read from clients (in). */
  public void addReceived(long bytes) {
    received.add(bytes);
  }

  /** Bytes read from backends and written to clients (out). */
  public void addSent(long bytes) {
    sent.add(bytes);
  }

  /** A backend could not be connected to (refused, timed out, unreachable). */
  public void onConnectError() {
    connectErrors.increment();
  }

  /**
   * A backend accepted a connection {@code nanos} after the proxy started connecting to it (the
   * backend's latency as the proxy sees it; a UDP flow records its first reply instead).
   */
  public void onBackendConnected(long nanos) {
    connects.increment();
    connectNanos.add(nanos);
    connectLatency.record(nanos / 1e9, attributes);
  }

  /** A client was turned away: no backend, or none accepted. */
  public void onRefused() {
    refused.increment();
  }

  public long refused() {
    return refused.sum();
  }

  /**
   * A client was turned away because the port or the proxy holds as many connections (UDP:
   * flows) as it may; such a connection is not counted as accepted.
   */
  public void onOverLimit() {
    overLimit.increment();
  }

  public long overLimit() {
    return overLimit.sum();
  }

  /** A quiet connection or UDP flow of a full port was ended to make room for a new client. */
  public void onEvicted() {
    evicted.increment();
  }

  public long evicted() {
    return evicted.sum();
  }

  /** A TCP connection was closed after the idle timeout without a byte either way. */
  public void onIdleClosed() {
    idleClosed.increment();
  }

  public long idleClosed() {
    return idleClosed.sum();
  }

  /** A half-closed TCP connection was closed after staying quiet for the half-closed timeout. */
  public void onHalfClosedExpired() {
    halfClosedExpired.increment();
  }

  public long halfClosedExpired() {
    return halfClosedExpired.sum();
  }

  /** Backend connections made so far. */
  public long backendConnects() {
    return connects.sum();
  }

  /** The sum of their connect times, in nanoseconds. */
  public long backendConnectNanos() {
    return connectNanos.sum();
  }

  public long accepted() {
    return accepted.sum();
  }

  public long active() {
    return active.sum();
  }

  public long received() {
    return received.sum();
  }

  public long sent() {
    return sent.sum();
  }

  public long connectErrors() {
    return connectErrors.sum();
  }
}
