package io.shoal.meshproxy.metrics;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
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

  public PortStats(PortKey key) {
    this.key = key;
    this.attributes = Attributes.of(PORT, (long) key.port(), TRANSPORT, key.transport());
  }

  public PortKey key() {
    return key;
  }

  Attributes attributes() {
    return attributes;
  }

  /** A client connection was accepted; pair with {@link #onClosed()}. */
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
