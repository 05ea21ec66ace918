package io.shoal.cli.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.testing.Commands;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher and the CLI daemon as bin/shoal runs them, as real processes: one daemon serves
 * every call of a socket with each call's own exit code and streams, a caller that goes away
 * interrupts its command, an idle daemon ends, and a socket directory others may enter is refused.
 * (Calls against a real control go through the daemon in every e2e test: LocalCluster.)
 */
class CliDaemonIT {
  private static final String CLASSPATH = System.getProperty("java.class.path");
  private static final Path JAVA = Path.of(ProcessHandle.current().info().command().orElseThrow());

  @TempDir Path dir;
  private final List<Path> sockets = new ArrayList<>();

  @AfterEach
  void stopDaemons() {
    for (Path socket : sockets) {
      try {
        Files.deleteIfExists(socket);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> daemon(socket).isEmpty());
    }
  }

  @Test
  void oneDaemonServesEveryCallWithItsOwnExitCodeAndStreams() throws IOException {
    Path socket = socket(dir, 600);

    Commands.Result version = shoal(socket, "--version");
    ProcessHandle daemon = daemon(socket).orElseThrow();
    Commands.Result usage = shoal(socket, "service", "lss");
    Commands.Result unreachable = shoal(socket, "--host", "127.0.0.1:1", "node", "ls");

    assertThat(version.exitCode()).isZero();
    assertThat(version.stdout()).startsWith("shoal ");
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.stdout()).isEmpty();
    assertThat(usage.stderr()).contains("Unmatched argument at index 1: 'lss'");
    assertThat(unreachable.exitCode()).isEqualTo(1);
    assertThat(unreachable.stderr().lines()).singleElement().asString().startsWith("shoal: ");
    assertThat(daemon(socket)).hasValueSatisfying(d -> assertThat(d.pid()).isEqualTo(daemon.pid()));
  }

  /** LocalCluster's calls in the e2e tests: the launcher's call made inside another JVM. */
  @Test
  void aCallFromInsideAnotherJvmStartsTheDaemonAndGetsItsOwnStreamsAndExitCode() throws IOException {
    Path socket = socket(dir, 600);
    List<String> options = List.of("-XX:+UseSerialGC", "-Xmx128m", "-Dshoal.cli.idle=600");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

    int version = CliLauncher.call(socket, options, List.of("--version"), java.util.Map.of("SHOAL_INSECURE", "1"),
        java.io.InputStream.nullInputStream(), out, err);
    ProcessHandle daemon = daemon(socket).orElseThrow();
    java.io.ByteArrayOutputStream usageErr = new java.io.ByteArrayOutputStream();
    int usage = CliLauncher.call(socket, options, List.of("service", "lss"), java.util.Map.of("SHOAL_INSECURE", "1"),
        java.io.InputStream.nullInputStream(), new java.io.ByteArrayOutputStream(), usageErr);

    assertThat(version).isZero();
    assertThat(out.toString()).startsWith("shoal ");
    assertThat(err.toString()).isEmpty();
    assertThat(usage).isEqualTo(2);
    assertThat(usageErr.toString()).contains("Unmatched argument at index 1: 'lss'");
    assertThat(daemon(socket)).hasValueSatisfying(d -> assertThat(d.pid()).isEqualTo(daemon.pid()));
  }

  @Test
  void aCallerThatGoesAwayInterruptsItsCommand() throws Exception {
    Path socket = socket(dir, 600);
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept()); // and never answer: the call waits for its 60 s deadline
          }
        } catch (IOException closed) {
          accepted.forEach(CliDaemonIT::closeQuietly);
        }
      });
      acceptor.start();
      Process caller = new ProcessBuilder(command(socket,
          List.of("--host", "127.0.0.1:" + silent.getLocalPort(), "node", "ls"))).start();
      await("the call to reach the silent server").atMost(Duration.ofSeconds(30)).until(() -> !accepted.isEmpty());
      ProcessHandle daemon = daemon(socket).orElseThrow();
      assertThat(callThreads(daemon)).isPositive();

      caller.destroy();

      await("the daemon to end the call").atMost(Duration.ofSeconds(20)).until(() -> callThreads(daemon) == 0);
      assertThat(shoal(socket, "--version").exitCode()).isZero();
    }
  }

  @Test
  void anIdleDaemonEndsAndRemovesItsSocket() {
    Path socket = socket(dir, 1);

    assertThat(shoal(socket, "--version").exitCode()).isZero();

    await().atMost(Duration.ofSeconds(20)).until(() -> daemon(socket).isEmpty() && !Files.exists(socket));
  }

  @Test
  void aSocketDirectoryOthersCanEnterIsRefusedAndTheCallRunsWithoutADaemon() throws IOException {
    Path open = Files.createDirectory(dir.resolve("open"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path socket = socket(open, 600);

    Commands.Result version = shoal(socket, "--version");

    assertThat(version.exitCode()).isZero();
    assertThat(version.stdout()).startsWith("shoal ");
    assertThat(version.stderr()).contains("cannot start the CLI daemon").contains("must belong to")
        .contains("running this call without it");
    assertThat(daemon(socket)).isEmpty();
  }

  private Path socket(Path in, long idleSeconds) {
    Path socket = in.resolve("cli-" + idleSeconds + ".sock");
    sockets.add(socket);
    return socket;
  }

  private static List<String> command(Path socket, List<String> args) {
    long idle = Long.parseLong(socket.getFileName().toString().replaceAll("\\D", ""));
    List<String> command = new ArrayList<>(List.of("env", "SHOAL_INSECURE=1", JAVA.toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dshoal.cli.socket=" + socket,
        "-Dshoal.cli.daemon.jvm=-XX:+UseSerialGC -Xmx128m -Dshoal.cli.idle=" + idle,
        "-cp", CLASSPATH, CliLauncher.class.getName()));
    command.addAll(args);
    return command;
  }

  private static Commands.Result shoal(Path socket, String... args) {
    return Commands.run(command(socket, List.of(args)));
  }

  /** The daemon process serving {@code socket}, if one runs: its pid is in the lock file. */
  private static Optional<ProcessHandle> daemon(Path socket) throws IOException {
    Path lock = socket.resolveSibling(socket.getFileName() + ".lock");
    if (!Files.exists(lock)) {
      return Optional.empty();
    }
    String pid = Files.readString(lock).strip();
    return pid.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive);
  }

  /** How many calls {@code daemon} is serving, from its thread dump (jcmd). */
  private static long callThreads(ProcessHandle daemon) {
    String dump = Commands.run(List.of(JAVA.resolveSibling("jcmd").toString(), String.valueOf(daemon.pid()),
        "Thread.print")).orThrow();
    return dump.lines().filter(l -> l.startsWith("\"shoal-cli-call-") && !l.contains("-in\"")).count();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
