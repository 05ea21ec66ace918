package io.shoal.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** A real server process started by tests: its log goes to a file, it dies with the JVM. */
public final class ExternalProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final Path workDir;

  private ExternalProcess(String name, Process process, Path log, Path workDir) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.workDir = workDir;
  }

  /** Starts {@code command} with its output in {@code workDir/NAME.log}. */
  public static ExternalProcess start(String name, List<String> command, Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path log = workDir.resolve(name + ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      ExternalProcess p = new ExternalProcess(name, process, log, workDir);
      Runtime.getRuntime().addShutdownHook(new Thread(p::close, name + "-stop"));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " (" + command.get(0)
          + "); is its Debian package installed? deploy/dev.sh installs it", e);
    }
  }

  /** Waits until {@code ready} holds; fails with the process log when it dies or times out. */
  public ExternalProcess awaitReady(Duration timeout, BooleanSupplier ready) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (ready.getAsBoolean()) {
        return this;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        // Polling an external process's readiness: there is no event to wait on.
        process.waitFor(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
    throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + tail());
  }

  /** The name it was started with (its log is NAME.log). */
  public String name() {
    return name;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public Path workDir() {
    return workDir;
  }

  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  /** SIGKILL, as a crash would. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ports this JVM has handed out: the kernel may offer a just-closed port again at once. */
  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

  /** A free loopback port, never one this JVM handed out before (two callers would collide). */
  public static synchronized int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket(0)) {
        socket.setReuseAddress(true);
        if (HANDED_OUT.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no fresh free port after 100 attempts");
  }

  public static boolean canConnect(String host, int port) {
    try (Socket socket = new Socket(host, port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public static Path tempDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
