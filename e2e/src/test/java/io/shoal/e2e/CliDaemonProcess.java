package io.shoal.e2e;

import static org.awaitility.Awaitility.await;

import io.shoal.cli.launch.CliLauncher;
import io.shoal.testing.Commands;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code shoal} calls through the CLI daemon on {@code socket} (started by the first call), which
 * {@link #stop} ends: made in this JVM ({@link #call}), or as bin/shoal makes them, by a small
 * launcher JVM ({@link #command}, for calls that go on while the test runs).
 */
final class CliDaemonProcess {
  private static final String CLASSPATH = System.getProperty("java.class.path");
  private static final long CALL_MINUTES = 2;
  /** The calls' threads: a call that never ends holds one until its daemon stops. */
  private static final ExecutorService CALLS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "shoal-call");
    t.setDaemon(true);
    return t;
  });
  private final Path socket;
  private final long idleSeconds;

  /** @param socket in a directory only this user may enter (the daemon refuses any other) */
  CliDaemonProcess(Path socket, long idleSeconds) {
    this.socket = socket;
    this.idleSeconds = idleSeconds;
  }

  Path socket() {
    return socket;
  }

  /** The launcher's command line for {@code args}, with bin/shoal's JVM options. */
  List<String> command(String javaBin, List<String> args) {
    List<String> command = new ArrayList<>(List.of(javaBin, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dshoal.cli.socket=" + socket,
        "-Dshoal.cli.daemon.jvm=" + String.join(" ", daemonOptions()),
        "-cp", CLASSPATH, "io.shoal.cli.launch.CliLauncher"));
    command.addAll(args);
    return command;
  }

  /**
   * One call through the daemon from this JVM ({@code CliLauncher.call}), as bin/shoal's launcher
   * makes it but without a JVM start: a test that polls the cluster makes a call every few hundred
   * milliseconds, and a launcher JVM per call cost a third of a CPU second each. Fails after
   * {@value #CALL_MINUTES} minutes, as {@code Commands.run} does.
   */
  Commands.Result call(List<String> args, Map<String, String> env, String stdin) {
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.putAll(env);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    byte[] input = stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8);
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
      try {
        return CliLauncher.call(socket, daemonOptions(), args, environment, new ByteArrayInputStream(input), out, err);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, CALLS);
    List<String> command = new ArrayList<>(List.of("shoal"));
    command.addAll(args);
    try {
      int code = exit.get(CALL_MINUTES, TimeUnit.MINUTES);
      return new Commands.Result(command, code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } catch (TimeoutException e) {
      throw new IllegalStateException(String.join(" ", command) + " did not finish in " + CALL_MINUTES + " min");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + String.join(" ", command), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(String.join(" ", command) + ": " + e.getCause(), e.getCause());
    }
  }

  private List<String> daemonOptions() {
    return List.of("-XX:+UseSerialGC", "-Xmx256m", "-Dshoal.cli.idle=" + idleSeconds);
  }

  /** Whether a daemon holds this socket's lock (the lock goes with its process). */
  boolean running() {
    Path lock = socket.resolveSibling(socket.getFileName() + ".lock");
    if (!Files.exists(lock)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE);
        FileLock held = channel.tryLock()) {
      return held == null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends the daemon: it stops within a second of its socket file going; waits until it has. */
  void stop() {
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await("the CLI daemon on " + socket + " to end").atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100)).until(() -> !running());
  }
}
