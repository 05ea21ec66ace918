package io.shoal.cli;

import io.grpc.ManagedChannel;
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
 * @param sleeper waits between convergence polls
 * @param tty whether progress may be redrawn in place with ANSI escapes
 * @param pollInterval time between convergence polls
 */
public record CliContext(
    Function<String, ManagedChannel> channels,
    Map<String, String> env,
    Clock clock,
    Sleeper sleeper,
    boolean tty,
    Duration pollInterval) {

  /** Waits between polls; tests advance a fake clock instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  public CliContext {
    Objects.requireNonNull(channels, "channels");
    env = Map.copyOf(env);
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
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
        d -> Thread.sleep(d.toMillis()),
        tty,
        Duration.ofMillis(200));
  }
}
