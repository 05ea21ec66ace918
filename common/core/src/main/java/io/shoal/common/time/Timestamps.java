package io.shoal.common.time;

import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.time.Instant;

/** {@link Instant} to protobuf {@link Timestamp} and back, to the nanosecond. */
public final class Timestamps {
  private Timestamps() {}

  public static Timestamp toTimestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }

  /** The clock's current instant. */
  public static Timestamp now(Clock clock) {
    return toTimestamp(clock.instant());
  }

  /**
   * The instant {@code t} names. It throws on a value outside {@link Instant}'s range, so code
   * reading what another process wrote checks the range first (the scheduler's StoredValues).
   */
  public static Instant toInstant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  /** The instant {@code t} names, or empty when it is outside {@link Instant}'s range: for what another process wrote. */
  public static java.util.Optional<Instant> tryInstant(Timestamp t) {
    if (t.getSeconds() < Instant.MIN.getEpochSecond() || t.getSeconds() > Instant.MAX.getEpochSecond()
        || t.getNanos() < 0 || t.getNanos() > 999_999_999) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(toInstant(t));
  }
}
