package io.shoal.cli.service;

import io.shoal.cli.Converters;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The flags of every command that can wait for a service to converge. */
public final class WaitOptions {
  @Option(
      names = {"-d", "--detach"},
      description = "Exit immediately instead of waiting for the service to converge.")
  boolean detach;

  @Option(
      names = {"-q", "--quiet"},
      description = "Suppress progress output.")
  boolean quiet;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = Converters.GoDurationConverter.class,
      description =
          "Give up waiting for convergence after this long (default ${DEFAULT-VALUE}); the"
              + " service keeps converging in the background. Not in Docker, which waits forever.")
  Duration timeout;
}
