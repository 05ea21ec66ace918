package io.shoal.common.server.tls;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.shoal.common.pki.TlsRefusals;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the peer certificates this process's handshakes refused, by reason
 * ({@code shoal.tls.refusals}), and logs them, at most one line per reason every
 * {@link #LOG_INTERVAL_NANOS}: a client retrying with an expired certificate would otherwise
 * fill the log.
 */
public final class TlsRefusalLog implements TlsRefusals {
  private static final Logger log = LoggerFactory.getLogger(TlsRefusalLog.class);
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);
  private final Map<Reason, AtomicLong> lastLogged = new EnumMap<>(Reason.class);

  public TlsRefusalLog() {
    for (Reason reason : Reason.values()) {
      counts.put(reason, new LongAdder());
      lastLogged.put(reason, new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS));
    }
  }

  @Override
  public void refused(Reason reason, String message) {
    counts.get(reason).increment();
    AtomicLong last = lastLogged.get(reason);
    long now = System.nanoTime();
    long previous = last.get();
    if (now - previous >= LOG_INTERVAL_NANOS && last.compareAndSet(previous, now)) {
      log.warn("TLS handshake refused ({}): {} (further {} refusals counted, logged at most once a minute)",
          reason, message, reason);
    }
  }

  /** How many were refused for {@code reason}. */
  public long count(Reason reason) {
    return counts.get(reason).sum();
  }

  /** Exports the counts through {@code meter}. */
  public void export(Meter meter) {
    meter.counterBuilder("shoal.tls.refusals")
        .setDescription("Peer certificates refused in TLS handshakes, by reason")
        .buildWithCallback(m -> counts.forEach(
            (reason, count) -> m.record(count.sum(), Attributes.of(REASON, reason.name()))));
  }
}
