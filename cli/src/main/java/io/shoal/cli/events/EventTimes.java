package io.shoal.cli.events;

import io.shoal.cli.CliException;
import io.shoal.common.time.GoDuration;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The times Docker's {@code --since} takes: RFC 3339, Unix seconds (with a fraction), or a Go duration before now. */
public final class EventTimes {
  private EventTimes() {}

  public static Instant parse(String flag, String value, Instant now) {
    String v = value.strip();
    if (v.matches("\\d+(\\.\\d{1,9})?")) {
      BigDecimal seconds = new BigDecimal(v);
      return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException notRfc3339) {
      try {
        Duration ago = GoDuration.parse(v);
        if (!ago.isNegative()) {
          return now.minus(ago);
        }
      } catch (IllegalArgumentException notDuration) {
        throw new CliException(flag + ": invalid time \"" + value + "\" (RFC 3339 like 2026-12-05T03:00:00Z, Unix"
            + " seconds, or a duration before now like 10m)");
      }
      throw new CliException(flag + ": invalid time \"" + value + "\": a duration before now must not be negative");
    }
  }
}
