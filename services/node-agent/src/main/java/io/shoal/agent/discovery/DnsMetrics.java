package io.shoal.agent.discovery;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.shoal.common.telemetry.Telemetry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS server's counters, each by {@code reason}, with a warning logged at most every 10 s
 * per counter and reason:
 * <ul>
 *   <li>{@code shoal.agent.dns.dropped}: queries not answered at all: {@code malformed} (not
 *       a DNS query), {@code too_large} (over 512 bytes), {@code tcp_full} (a TCP connection
 *       beyond the limit, closed at once);
 *   <li>{@code shoal.agent.dns.servfail}: queries for other names answered SERVFAIL:
 *       {@code forwards_full} (too many forwards waiting), {@code no_answer} (no upstream
 *       answered in time, or none is configured).
 * </ul>
 */
final class DnsMetrics {
  private static final Logger log = LoggerFactory.getLogger(DnsMetrics.class);
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final LongCounter dropped;
  private final LongCounter servfail;
  private final Map<String, LongAdder> totals = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastWarnings = new ConcurrentHashMap<>();

  DnsMetrics(Telemetry telemetry) {
    var meter = telemetry.meter("io.shoal.agent");
    this.dropped = meter.counterBuilder("shoal.agent.dns.dropped")
        .setDescription("DNS queries to the overlay networks' server left unanswered, by reason")
        .build();
    this.servfail = meter.counterBuilder("shoal.agent.dns.servfail")
        .setDescription("DNS queries forwarded by the overlay networks' server answered SERVFAIL, by reason")
        .build();
  }

  void dropped(String reason, Object from) {
    count(dropped, "dropped", reason);
    warn("dropped", reason, "DNS query from {} dropped: {} (counted in shoal.agent.dns.dropped)", from);
  }

  void servfail(String reason, Object from) {
    count(servfail, "servfail", reason);
    warn("servfail", reason, "DNS query from {} answered SERVFAIL: {} (counted in shoal.agent.dns.servfail)", from);
  }

  /** How many so far of {@code counter} ("dropped", "servfail") for {@code reason}. */
  long total(String counter, String reason) {
    LongAdder total = totals.get(counter + "/" + reason);
    return total == null ? 0 : total.sum();
  }

  private void count(LongCounter counter, String name, String reason) {
    totals.computeIfAbsent(name + "/" + reason, k -> new LongAdder()).increment();
    counter.add(1, Attributes.of(REASON, reason));
  }

  private void warn(String counter, String reason, String format, Object from) {
    AtomicLong last = lastWarnings.computeIfAbsent(counter + "/" + reason,
        k -> new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS));
    long now = System.nanoTime();
    long then = last.get();
    if (now - then >= WARN_EVERY_NANOS && last.compareAndSet(then, now)) {
      log.warn(format, from, reason);
    }
  }
}
