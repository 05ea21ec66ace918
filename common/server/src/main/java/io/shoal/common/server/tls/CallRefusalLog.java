package io.shoal.common.server.tls;

import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the calls the authorization interceptor refused, by status code and method
 * ({@code shoal.calls.refused}), and logs them at most once a minute: a node retrying with a
 * revoked certificate would otherwise fill the log.
 */
public final class CallRefusalLog implements BiConsumer<Status.Code, String> {
  private static final Logger log = LoggerFactory.getLogger(CallRefusalLog.class);
  private static final AttributeKey<String> CODE = AttributeKey.stringKey("code");
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("method");
  static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final LongCounter refused;
  private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

  public CallRefusalLog(Meter meter) {
    refused = meter.counterBuilder("shoal.calls.refused")
        .setDescription("Calls refused by authorization: no certificate, a removed node, or a role the method does"
            + " not take")
        .build();
  }

  @Override
  public void accept(Status.Code code, String method) {
    refused.add(1, Attributes.of(CODE, code.name(), METHOD, method));
    long now = System.nanoTime();
    long last = lastLogged.get();
    if (now - last >= LOG_INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
      log.warn("refused a call to {} ({}); such refusals are counted in shoal.calls.refused, logged at most once a"
          + " minute", method, code);
    }
  }
}
