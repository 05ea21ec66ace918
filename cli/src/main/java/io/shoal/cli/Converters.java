package io.shoal.cli;

import io.shoal.api.v1.PortConfig;
import io.shoal.common.time.GoDuration;
import io.shoal.cli.parse.PortSpec;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters over the pure parsers. picocli reports a failure as "Invalid value for option
 * '--publish' (PORT): bad port spec "abc": ...", naming the flag and the value.
 */
public final class Converters {
  private Converters() {}

  /** {@code -p/--publish}, {@code --publish-add}, {@code --publish-rm}. */
  public static final class Port implements ITypeConverter<PortConfig> {
    @Override
    public PortConfig convert(String value) {
      try {
        return PortSpec.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Go-style durations, never negative. */
  public static final class GoDurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d;
      try {
        d = GoDuration.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      if (d.isNegative()) {
        throw new TypeConversionException("duration \"" + value + "\" must not be negative");
      }
      return d;
    }
  }

  /** A non-negative replica count. */
  public static final class Replicas implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
        throw new TypeConversionException(
            "\"" + value + "\" is not a number of replicas (0 or more)");
      }
      return Long.parseLong(value);
    }
  }
}
