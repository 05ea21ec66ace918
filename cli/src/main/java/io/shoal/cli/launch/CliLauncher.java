package io.shoal.cli.launch;

import io.shoal.cli.ShoalCli;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code bin/shoal} runs: hands the call to the CLI daemon on a Unix socket and relays its
 * output, stdin and exit code. A JVM that loads gRPC, Netty and TLS for one call spends about a
 * second before its first byte; a daemon that keeps them loaded, compiled and connected answers
 * in milliseconds, so a call costs this small JVM's start. The first call starts the daemon
 * ({@link CliDaemon}); it ends itself when idle.
 *
 * <p>Only java.base is loaded on the daemon path. Without {@code -Dshoal.cli.socket} (the daemon
 * turned off: {@code SHOAL_CLI_DAEMON=0}), and for {@code login}, which asks for a password on
 * this terminal (any call with the word in it: a few more in-process calls cost only time), the
 * call runs in this JVM, as it always did.
 */
public final class CliLauncher {
  static final String SOCKET_PROPERTY = "shoal.cli.socket";
  /** How long the first call waits for a daemon it started to listen. */
  private static final long START_WAIT_MILLIS = 15_000;

  private CliLauncher() {}

  public static void main(String[] args) throws IOException {
    String socket = System.getProperty(SOCKET_PROPERTY);
    if (socket == null || socket.isBlank() || List.of(args).contains("login")) {
      ShoalCli.main(args);
      return;
    }
    Path path = Path.of(socket);
    Optional<SocketChannel> daemon = connect(path);
    if (daemon.isEmpty()) {
      try {
        daemon = startAndConnect(path, daemonOptions(System.getProperty("shoal.cli.daemon.jvm", "")));
      } catch (IOException e) {
        System.err.println("shoal: warning: cannot start the CLI daemon (" + e.getMessage() + "; log "
            + CliDaemon.logOf(path) + "); running this call without it");
      }
    }
    if (daemon.isEmpty()) {
      ShoalCli.main(args);
      return;
    }
    Map<String, String> env = System.getenv();
    boolean tty = System.console() != null && !"dumb".equals(env.get("TERM"));
    System.exit(relay(daemon.get(), new CallRequest(List.of(args), env, Path.of("").toAbsolutePath().toString(), tty),
        path, System.in, System.out, System.err));
  }

  /**
   * One call through the daemon on {@code socket}, from inside another JVM: what bin/shoal does,
   * without a JVM start per call (the end-to-end tests make thousands). Starts the daemon, with
   * {@code daemonOptions} for its JVM and this JVM's classpath, when none listens. The call sees
   * {@code env} as its environment and {@code stdin} as its input; returns its exit code.
   */
  public static int call(Path socket, List<String> daemonOptions, List<String> args, Map<String, String> env,
      InputStream stdin, OutputStream stdout, OutputStream stderr) throws IOException {
    Optional<SocketChannel> daemon = connect(socket);
    if (daemon.isEmpty()) {
      daemon = startAndConnect(socket, daemonOptions);
    }
    try (SocketChannel channel = daemon.get()) {
      return relay(channel, new CallRequest(List.copyOf(args), Map.copyOf(env),
          Path.of("").toAbsolutePath().toString(), false), socket, stdin, stdout, stderr);
    }
  }

  private static List<String> daemonOptions(String options) {
    List<String> list = new ArrayList<>();
    for (String option : options.trim().split("\\s+")) {
      if (!option.isEmpty()) {
        list.add(option);
      }
    }
    return list;
  }

  private static Optional<SocketChannel> connect(Path socket) {
    try {
      return Optional.of(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Starts a daemon in a session of its own (Ctrl-C on this terminal must not reach it). */
  private static Optional<SocketChannel> startAndConnect(Path socket, List<String> options) throws IOException {
    List<String> command = new ArrayList<>(List.of("setsid",
        ProcessHandle.current().info().command().orElse("java")));
    command.addAll(options);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        CliDaemon.class.getName(), socket.toString()));
    Process process = new ProcessBuilder(command)
        .redirectInput(Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(Redirect.appendTo(CliDaemon.logOf(socket).toFile()))
        .redirectErrorStream(true)
        .start();
    long deadline = System.nanoTime() + START_WAIT_MILLIS * 1_000_000;
    while (System.nanoTime() < deadline) {
      Optional<SocketChannel> daemon = connect(socket);
      if (daemon.isPresent()) {
        return daemon;
      }
      if (!process.isAlive() && process.exitValue() != 0) {
        throw new IOException("it exited with " + process.exitValue() + ": " + lastLine(CliDaemon.logOf(socket)));
      }
      try {
        Thread.sleep(20); // polling a socket file: there is nothing to wait on until it exists
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while it started", e);
      }
    }
    throw new IOException("it did not listen on " + socket + " within " + START_WAIT_MILLIS / 1000 + " s");
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = java.nio.file.Files.readAllLines(log);
      return lines.isEmpty() ? "(nothing in its log)" : lines.get(lines.size() - 1);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Sends the call, copies the daemon's frames to the given streams, returns the exit code. */
  private static int relay(SocketChannel channel, CallRequest call, Path socket, InputStream stdin,
      OutputStream stdout, OutputStream stderr) throws IOException {
    DataOutputStream toDaemon = Frames.output(channel);
    DataInputStream fromDaemon = Frames.input(channel);
    Frames.write(toDaemon, Frames.CALL, call.encode());
    try {
      while (true) {
        Frames.Frame frame = Frames.read(fromDaemon);
        switch (frame.type()) {
          case Frames.STDOUT -> stdout.write(frame.payload());
          case Frames.STDERR -> {
            stdout.flush();
            stderr.write(frame.payload());
            stderr.flush();
          }
          case Frames.WANT_STDIN -> pumpStdin(stdin, toDaemon);
          case Frames.EXIT -> {
            stdout.flush();
            return new DataInputStream(new java.io.ByteArrayInputStream(frame.payload())).readInt();
          }
          default -> throw new IOException("unknown frame '" + (char) frame.type() + "'");
        }
      }
    } catch (EOFException e) {
      stdout.flush();
      stderr.write(("shoal: the CLI daemon ended during the call; see " + CliDaemon.logOf(socket) + "\n")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      stderr.flush();
      return 1;
    }
  }

  /** Copies {@code in} to the daemon on a thread of its own, which dies with this JVM. */
  private static void pumpStdin(InputStream in, DataOutputStream toDaemon) {
    Thread pump = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try {
        int n;
        while ((n = in.read(buffer)) > 0) {
          synchronized (toDaemon) {
            Frames.write(toDaemon, Frames.STDIN, buffer, 0, n);
          }
        }
        synchronized (toDaemon) {
          Frames.write(toDaemon, Frames.STDIN_END, new byte[0]);
        }
      } catch (IOException e) {
        // The daemon ended the call (it answers with EXIT or the socket closes): nothing to send to.
        return;
      }
    }, "shoal-stdin");
    pump.setDaemon(true);
    pump.start();
  }
}
