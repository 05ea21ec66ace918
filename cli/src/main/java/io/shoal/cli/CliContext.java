package io.shoal.cli;

import io.grpc.ManagedChannel;
import io.shoal.cli.client.ChangeSignal;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the CLI takes from its surroundings, so tests can hand in their own: how to open a channel
 * to a {@code host:port}, the environment, a clock for relative times and timeouts, how to wait
 * between polls, whether stdout is a terminal, and the caller's stdin and working directory (a call
 * served by the CLI daemon runs in a process whose own are not the caller's).
 *
 * @param channels opens a channel to the control service; the CLI shuts it down when done
 * @param env the process environment (SHOAL_HOST, and bare {@code -e KEY} values)
 * @param clock "now" for {@code service ps} and the convergence timeout
 * @param pause waits between convergence reads, for a change or at most the poll interval
 * @param tty whether progress may be redrawn in place with ANSI escapes
 * @param pollInterval the longest wait between convergence reads (changes wake it earlier)
 * @param stdin what {@code -} and {@code --password-stdin} read
 * @param cwd the caller's working directory, against which relative paths are read
 */
public record CliContext(
    Function<String, ManagedChannel> channels,
    Map<String, String> env,
    Clock clock,
    Pause pause,
    boolean tty,
    Duration pollInterval,
    InputStream stdin,
    Path cwd) {

  /**
   * Waits until {@code changes} has a notice newer than {@code seen}, or {@code max} has passed;
   * tests advance a fake clock instead.
   */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration max, ChangeSignal changes, long seen) throws InterruptedException;
  }

  public CliContext {
    Objects.requireNonNull(channels, "channels");
    env = Map.copyOf(env);
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(pause, "pause");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(stdin, "stdin");
    if (!cwd.isAbsolute()) {
      throw new IllegalArgumentException("cwd must be absolute: " + cwd);
    }
  }

  /** A context reading no stdin, in this process's working directory (tests). */
  public CliContext(Function<String, ManagedChannel> channels, Map<String, String> env, Clock clock,
      Pause pause, boolean tty, Duration pollInterval) {
    this(channels, env, clock, pause, tty, pollInterval, InputStream.nullInputStream(),
        Path.of("").toAbsolutePath());
  }

  /**
   * A path the user gave: relative ones are read against the caller's working directory. Every
   * file a command opens by a user's name goes through here (CliPathsTest checks).
   */
  public Path path(String given) {
    return cwd.resolve(given);
  }

  /** The real world: plaintext gRPC over {@code channels}, the process environment, the system clock. */
  public static CliContext system(Function<String, ManagedChannel> channels) {
    Map<String, String> env = System.getenv();
    return of(channels, env, isTerminal(env), System.in, Path.of("").toAbsolutePath());
  }

  /** The real clock and waits, for a caller described by the rest (this process or a daemon's). */
  public static CliContext of(Function<String, ManagedChannel> channels, Map<String, String> env,
      boolean tty, InputStream stdin, Path cwd) {
    return new CliContext(
        channels,
        env,
        Clock.systemUTC(),
        (max, changes, seen) -> changes.awaitAfter(seen, max),
        tty,
        // A backstop only: WatchService wakes the wait at each change.
        Duration.ofSeconds(1),
        stdin,
        cwd);
  }

  /** Whether this process's stdout is a terminal that takes ANSI escapes. */
  public static boolean isTerminal(Map<String, String> env) {
    return System.console() != null && !"dumb".equals(env.get("TERM"));
  }
}
