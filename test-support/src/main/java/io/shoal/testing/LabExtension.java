package io.shoal.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONE lab of {@value #HOSTS} hosts per test JVM (deploy/lab.sh, as root), brought up on first use
 * and taken down ({@code lab.sh down}) when the JVM exits. The lab is named {@code t<pid>} and
 * takes the first free subnet 10.231.K.0/24 (K ≠ 0, which deploy/dev.sh uses): {@code lab.sh up}
 * refuses one that collides with a route, and a file lock keeps two test JVMs from picking at
 * once. Labs of test JVMs that died without their shutdown hook are taken down first. Engines'
 * files go under {@code $SHOAL_TEST_LAB_DIR} (deploy/dev.sh test sets it, and takes down what is
 * left there at its end) or the temp dir.
 *
 * <pre>{@code
 * @ExtendWith(LabExtension.class)
 * class FaultIT {
 *   @Test void partitioned(Lab lab) { lab.partition(lab.host("h2")); }
 * }
 * }</pre>
 */
public final class LabExtension implements ParameterResolver {
  public static final int HOSTS = 3;
  public static final String DIR_ENV = "SHOAL_TEST_LAB_DIR";
  private static final Logger log = LoggerFactory.getLogger(LabExtension.class);
  /** Where lab.sh records each lab that is up (a file per lab, holding its directory). */
  private static final Path RUN_DIR = Path.of("/run/shoal-lab");
  private static final String NAME_PREFIX = "t";
  /** Held while picking a subnet and bringing the lab up, by every test JVM on this machine. */
  private static final Path SUBNET_LOCK = Files.isDirectory(Path.of("/run/lock"))
      ? Path.of("/run/lock/shoal-lab-subnets")
      : Path.of(System.getProperty("java.io.tmpdir"), "shoal-lab-subnets.lock");
  private static Lab lab;

  /** The lab of this JVM, brought up on first use. */
  public static synchronized Lab lab() {
    if (lab == null) {
      lab = start();
    }
    return lab;
  }

  private static Lab start() {
    Path script = repoRoot().resolve("deploy/lab.sh");
    String name = NAME_PREFIX + ProcessHandle.current().pid();
    Path base = Path.of(System.getenv().getOrDefault(DIR_ENV, System.getProperty("java.io.tmpdir")));
    Path dir = base.resolve("shoal-lab-" + name);
    try (FileChannel lockFile = FileChannel.open(SUBNET_LOCK,
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = lockFile.lock()) {
      downDeadLabs(script);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> down(script, name, dir), name + "-down"));
      for (int k : candidates()) {
        String subnet = "10.231." + k + ".0/24";
        Commands.Result up = Commands.run(List.of("bash", script.toString(), "up", "--name", name,
            "--hosts", String.valueOf(HOSTS), "--subnet", subnet, "--dir", dir.toString(),
            "--insecure-registry", subnet));
        if (up.ok()) {
          Lab started = new Lab(name, subnet, "10.231." + k + ".1", hosts(name, up.stdout()), script);
          log.info("lab {} up on {}: {}", name, subnet, started.hosts());
          return started;
        }
        if (!up.stderr().contains("collides with the existing route")) {
          up.orThrow();
        }
      }
      throw new IllegalStateException("no free subnet 10.231.K.0/24 for a lab (every K collides with a route)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + SUBNET_LOCK + " to pick a lab subnet", e);
    }
  }

  /** 1..254, from a place of this JVM's own, so that labs of parallel runs rarely try the same. */
  private static List<Integer> candidates() {
    List<Integer> ks = new ArrayList<>();
    int first = (int) (ProcessHandle.current().pid() % 254);
    for (int i = 0; i < 254; i++) {
      ks.add(1 + (first + i) % 254);
    }
    return ks;
  }

  /** "h1 10.231.7.11 unix:///…/h1/docker.sock" per line → hosts. */
  static List<Lab.Host> hosts(String name, String upOutput) {
    List<Lab.Host> hosts = new ArrayList<>();
    for (String line : upOutput.strip().split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length != 3) {
        throw new IllegalStateException("lab.sh up printed an unexpected line: " + line);
      }
      hosts.add(new Lab.Host(f[0], name + "-" + f[0], f[1], f[2]));
    }
    return hosts;
  }

  private static void down(Path script, String name, Path dir) {
    Commands.Result down = Commands.run(List.of("bash", script.toString(), "down", "--name", name));
    if (!down.ok()) {
      log.warn("lab {} down failed: {}", name, down.stderr().strip());
      return;
    }
    // lab.sh keeps the engines' logs; nothing of a lab that went well is worth keeping.
    ExternalProcess.deleteTree(dir);
  }

  /** Takes down the labs of test JVMs that are gone (killed before their shutdown hook ran). */
  private static void downDeadLabs(Path script) {
    if (!Files.isDirectory(RUN_DIR)) {
      return;
    }
    try (Stream<Path> labs = Files.list(RUN_DIR)) {
      for (Path recorded : labs.toList()) {
        String lab = recorded.getFileName().toString();
        if (lab.matches(NAME_PREFIX + "[0-9]+")
            && ProcessHandle.of(Long.parseLong(lab.substring(NAME_PREFIX.length()))).isEmpty()) {
          log.info("taking down lab {}, left by a test JVM that is gone", lab);
          Commands.run(List.of("bash", script.toString(), "down", "--name", lab)).orThrow();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + RUN_DIR, e);
    }
  }

  /**
   * The repository's root: the first directory holding deploy/lab.sh, above the working
   * directory (a module's, under Maven) or else above this class's code (test-support/target).
   */
  public static Path repoRoot() {
    List<Path> starts = new ArrayList<>(List.of(Path.of("").toAbsolutePath()));
    try {
      starts.add(Path.of(LabExtension.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (java.net.URISyntaxException | RuntimeException e) {
      log.debug("no code source for LabExtension: {}", e.toString());
    }
    for (Path start : starts) {
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        if (Files.isRegularFile(dir.resolve("deploy/lab.sh"))) {
          return dir;
        }
      }
    }
    throw new IllegalStateException("deploy/lab.sh not found above " + starts);
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == Lab.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return lab();
  }
}
