package io.shoal.common.server;

import io.shoal.common.time.GoDuration;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/**
 * Reads a duration flag as Docker and Go write it (500ms, 1.5s, 1m30s, 0): {@link GoDuration},
 * the grammar the CLI reads too. No service flag means anything when negative.
 */
public final class GoDurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    Duration d = GoDuration.parse(value);
    if (d.isNegative()) {
      throw new IllegalArgumentException("invalid duration \"" + value + "\": must not be negative");
    }
    return d;
  }
}
