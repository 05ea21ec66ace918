package io.shoal.cli;

import io.grpc.ManagedChannel;
import io.shoal.cli.client.ChangeSignal;
import io.shoal.cli.client.ControlChannels;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the CLI takes from its surroundings, so tests can hand in their own: how to open a channel
 * to a {@code host:port}, the environment, a clock for relative times and timeouts, how to wait
 * between polls, and whether stdout is a terminal.
 *
 * @param channels opens a channel to the control service; the CLI shuts it down when done
 * @param env the process environment (SHOAL_HOST, and bare {@code -e KEY} values)
 * @param clock "now" for {@code service ps} and the convergence timeout
 * @param pause waits between convergence reads, for a change or at most the poll interval
 * @param tty whether progress may be redrawn in place with ANSI escapes
 * @param pollInterval the longest wait between convergence reads (changes wake it earlier)
 */
public record CliContext(
    Function<String, ManagedChannel> channels,
    Map<String, String> env,
    Clock clock,
    Pause pause,
    boolean tty,
    Duration pollInterval) {

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
  }

  /** The real world: plaintext gRPC over {@code channels}, the process environment, the system clock. */
  public static CliContext system(ControlChannels channels) {
    Map<String, String> env = System.getenv();
    boolean tty = System.console() != null && !"dumb".equals(env.get("TERM"));
    return new CliContext(
        channels,
        env,
        Clock.systemUTC(),
        (max, changes, seen) -> changes.awaitAfter(seen, max),
        tty,
        // A backstop only: WatchService wakes the wait at each change.
        Duration.ofSeconds(1));
  }
}
