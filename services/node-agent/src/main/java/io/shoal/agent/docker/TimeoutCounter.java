package io.shoal.agent.docker;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.shoal.common.telemetry.Telemetry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.LongAdder;

/** Counts calls to dockerd abandoned at their deadline: {@code shoal.agent.docker.timeouts}, by request kind. */
@Singleton
public final class TimeoutCounter {
  private static final AttributeKey<String> REQUEST = AttributeKey.stringKey("request");

  private final LongCounter counter;
  private final LongAdder total = new LongAdder();

  @Inject
  public TimeoutCounter(Telemetry telemetry) {
    this.counter = telemetry.meter("io.shoal.agent")
        .counterBuilder("shoal.agent.docker.timeouts")
        .setDescription("Calls to dockerd abandoned at their deadline (--docker-timeout, --pull-timeout), by kind")
        .build();
  }

  void add(String request) {
    total.increment();
    counter.add(1, Attributes.of(REQUEST, request));
  }

  /** Timeouts so far, of every kind. */
  public long total() {
    return total.sum();
  }
}
