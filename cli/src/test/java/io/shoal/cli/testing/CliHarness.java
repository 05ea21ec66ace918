package io.shoal.cli.testing;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.shoal.cli.CliContext;
import io.shoal.cli.ShoalCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs {@code shoal} command lines against a {@link FakeControlService} on an in-process gRPC
 * server, with a {@link FakeClock} that the CLI's poll sleeps advance. Starts the server before
 * each test and shuts it and every channel the CLI opened down after it.
 *
 * <pre>{@code
 * @RegisterExtension final CliHarness cli = new CliHarness();
 *
 * CliHarness.Result r = cli.run("service", "ls");
 * assertThat(r.exitCode()).isZero();
 * }</pre>
 */
public final class CliHarness implements BeforeEachCallback, AfterEachCallback {
  public static final Instant START = Instant.parse("2025-03-01T12:00:00Z");

  private final FakeClock clock = new FakeClock(START);
  private final FakeControlService control = new FakeControlService(clock);
  private final Map<String, String> env = new HashMap<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<String> targets = new ArrayList<>();
  private String serverName;
  private Server server;
  private boolean tty;
  private byte[] stdin = new byte[0];
  private Path cwd = Path.of("").toAbsolutePath();
  private int sleeps;

  /** What one command line printed and returned. */
  public record Result(int exitCode, String out, String err) {
    public List<String> outLines() {
      return out.lines().toList();
    }

    public List<String> errLines() {
      return err.lines().toList();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    serverName = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(serverName)
            .directExecutor()
            .addService(control)
            .build()
            .start();
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  public FakeControlService control() {
    return control;
  }

  public FakeClock clock() {
    return clock;
  }

  /** Sets a variable of the CLI's environment (SHOAL_HOST, values for bare {@code -e KEY}). */
  public CliHarness env(String key, String value) {
    env.put(key, value);
    return this;
  }

  /** Pretends stdout is a terminal, so progress is redrawn with ANSI escapes. */
  /** What the next calls read on stdin ({@code -}, {@code --password-stdin}). */
  public CliHarness stdin(String text) {
    this.stdin = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return this;
  }

  /** The caller's working directory, against which the CLI reads relative paths. */
  public CliHarness cwd(Path cwd) {
    this.cwd = cwd;
    return this;
  }

  public CliHarness tty(boolean tty) {
    this.tty = tty;
    return this;
  }

  /** The {@code host:port} targets the CLI asked to connect to, in order. */
  public List<String> targets() {
    return List.copyOf(targets);
  }

  /** How many times the CLI waited between polls. */
  public int sleeps() {
    return sleeps;
  }

  public Result run(String... args) {
    return run(serverName, args);
  }

  /** Runs against a server name nobody serves: every call fails with UNAVAILABLE. */
  public Result runUnreachable(String... args) {
    return run(InProcessServerBuilder.generateName(), args);
  }

  private Result run(String name, String... args) {
    CliContext context =
        new CliContext(
            target -> {
              targets.add(target);
              ManagedChannel c = InProcessChannelBuilder.forName(name).directExecutor().build();
              channels.add(c);
              return c;
            },
            env,
            clock,
            (max, changes, seen) -> {
              sleeps++;
              clock.advance(max);
            },
            tty,
            Duration.ofMillis(200),
            new java.io.ByteArrayInputStream(stdin),
            cwd);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ShoalCli.run(context, new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }
}
