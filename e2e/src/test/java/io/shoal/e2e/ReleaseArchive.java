package io.shoal.e2e;

import io.shoal.testing.Commands;
import io.shoal.testing.ExternalProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The release archive ({@code dist/target/shoal-VERSION.tar.gz}, made by {@code mvn package}),
 * unpacked once per test JVM into a temp dir with tar, as an operator unpacks it. As a
 * {@link PartLauncher} it starts every part with its launcher ({@code bin/shoal-control}, ...).
 */
final class ReleaseArchive implements PartLauncher {
  /** The service launchers in bin/, besides the CLI's bin/shoal. */
  static final List<String> SERVICE_LAUNCHERS = List.of(
      "shoal-control", "shoal-registry", "shoal-scheduler", "shoal-dispatcher", "shoal-agent", "shoal-mesh-proxy");
  private static final Map<String, String> LAUNCHER_OF = Map.of(
      "io.shoal.control.ControlMain", "shoal-control",
      "io.shoal.registry.RegistryMain", "shoal-registry",
      "io.shoal.scheduler.SchedulerMain", "shoal-scheduler",
      "io.shoal.dispatcher.DispatcherMain", "shoal-dispatcher",
      "io.shoal.agent.NodeAgentMain", "shoal-agent",
      "io.shoal.meshproxy.MeshProxyMain", "shoal-mesh-proxy");
  private static ReleaseArchive unpacked;

  /** The tarball. */
  final Path tarball;
  /** Where it was unpacked: shoal-VERSION/, holding bin/, lib/, etc/, README.md. */
  final Path home;

  private ReleaseArchive(Path tarball, Path home) {
    this.tarball = tarball;
    this.home = home;
  }

  /** The archive the build made (system property shoal.archive, set by e2e's pom), unpacked once. */
  static synchronized ReleaseArchive unpacked() {
    if (unpacked == null) {
      Path tarball = Path.of(System.getProperty("shoal.archive", "../dist/target/missing.tar.gz")).toAbsolutePath();
      if (!Files.isRegularFile(tarball)) {
        throw new IllegalStateException("no release archive at " + tarball + "; build it: mvn -q package -DskipTests -pl dist -am");
      }
      Path dir = ExternalProcess.tempDir("shoal-archive");
      Commands.run(List.of("tar", "-xzf", tarball.toString(), "-C", dir.toString())).orThrow();
      String top = tarball.getFileName().toString().replaceFirst("\\.tar\\.gz$", "");
      unpacked = new ReleaseArchive(tarball, dir.resolve(top));
    }
    return unpacked;
  }

  /** {@code bin/NAME} of the unpacked archive. */
  Path launcher(String name) {
    return home.resolve("bin").resolve(name);
  }

  /** The archive's size in MiB, for the test output. */
  double sizeMiB() {
    try {
      return Files.size(tarball) / (1024.0 * 1024.0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code bin/NAME ARGS…} with {@code env} (e.g. JAVA_HOME, SHOAL_HOST) and nothing else of the test's. */
  Commands.Result run(Map<String, String> env, String name, String... args) {
    List<String> command = new ArrayList<>(List.of("env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"));
    env.forEach((k, v) -> command.add(k + "=" + v));
    command.add(launcher(name).toString());
    command.addAll(List.of(args));
    return Commands.run(command);
  }

  /** The launcher of {@code mainClass}, on this JVM's Java 17 (JAVA_HOME). */
  @Override
  public List<String> command(String mainClass) {
    String name = LAUNCHER_OF.get(mainClass);
    if (name == null) {
      throw new IllegalArgumentException("the release archive has no launcher for " + mainClass);
    }
    return List.of("env", "JAVA_HOME=" + System.getProperty("java.home"), launcher(name).toString());
  }
}
