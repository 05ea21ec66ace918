package io.shoal.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code shoal} calls as bin/shoal makes them: a small launcher JVM that hands each call to the
 * CLI daemon on {@code socket} (started by the first call), which {@link #stop} ends.
 */
final class CliDaemonProcess {
  private static final String CLASSPATH = System.getProperty("java.class.path");
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
        "-Dshoal.cli.daemon.jvm=-XX:+UseSerialGC -Xmx256m -Dshoal.cli.idle=" + idleSeconds,
        "-cp", CLASSPATH, "io.shoal.cli.launch.CliLauncher"));
    command.addAll(args);
    return command;
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
