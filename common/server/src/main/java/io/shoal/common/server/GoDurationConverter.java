package io.shoal.common.server;

import io.shoal.common.time.GoDuration;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Reads a duration flag as Docker and Go write it (500ms, 5s, 1m30s): {@link GoDuration}. */
public final class GoDurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return GoDuration.parse(value);
  }
}
