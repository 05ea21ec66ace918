package io.shoal.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Docker engine for tests. When {@code SHOAL_TEST_DOCKER_HOST} is set (deploy/dev.sh test
 * starts one dockerd and exports it), tests use that engine. Otherwise ONE dockerd (Debian's
 * {@code docker.io}) is started per test JVM, as root, with its own data root, exec root, pid
 * file and socket in a temp dir, and stopped when the JVM exits. Only one dockerd may own the
 * default {@code docker0} bridge on a machine, so parallel test JVMs must share one through the
 * environment variable.
 *
 * <pre>{@code
 * @ExtendWith(DockerExtension.class)
 * class AgentIT {
 *   @Test void runs(DockerTestEngine docker) { docker.docker("ps"); }
 * }
 * }</pre>
 */
public final class DockerExtension implements ParameterResolver {
  public static final String HOST_ENV = "SHOAL_TEST_DOCKER_HOST";
  private static final Logger log = LoggerFactory.getLogger(DockerExtension.class);
  private static DockerTestEngine engine;

  /** The engine for this JVM, started on first use. */
  public static synchronized DockerTestEngine engine() {
    if (engine == null) {
      String host = System.getenv(HOST_ENV);
      engine = host != null && !host.isBlank() ? useExisting(host.strip()) : startDockerd();
    }
    return engine;
  }

  private static DockerTestEngine useExisting(String host) {
    DockerTestEngine existing = new DockerTestEngine(host);
    Commands.Result info = existing.tryDocker("info", "--format", "{{.ServerVersion}}");
    if (!info.ok()) {
      throw new IllegalStateException(HOST_ENV + "=" + host + " does not answer: " + info.stderr().strip());
    }
    log.info("tests use the Docker engine {} ({})", host, info.stdout().strip());
    return existing;
  }

  private static DockerTestEngine startDockerd() {
    Path dir = createDir();
    Path socket = dir.resolve("docker.sock");
    String host = "unix://" + socket;
    ExternalProcess dockerd = ExternalProcess.start("dockerd", List.of(
        "dockerd", "--data-root", dir.resolve("data").toString(),
        "--exec-root", dir.resolve("exec").toString(),
        "--pidfile", dir.resolve("docker.pid").toString(),
        "-H", host), dir);
    // Ordered: dockerd stops (and stops its containers) before its directories are deleted.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      dockerd.close();
      deleteQuietly(dir);
    }, "dockerd-cleanup"));
    dockerd.awaitReady(Duration.ofSeconds(60), () -> ping(socket));
    log.info("started dockerd for tests on {} (log: {})", host, dir.resolve("dockerd.log"));
    return new DockerTestEngine(host);
  }

  private static Path createDir() {
    try {
      // Short path: the engine's sockets (docker.sock, containerd's) must fit in 108 bytes.
      return Files.createTempDirectory(Path.of("/tmp"), "shoal-dkr");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a directory for dockerd", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      ExternalProcess.deleteTree(dir);
    } catch (RuntimeException e) {
      // A mount left behind by a killed engine can keep files busy; the temp dir is then left.
      log.warn("could not delete {}: {}", dir, e.toString());
    }
  }

  /** {@code GET /_ping} over the engine's unix socket; true when it answers 200. */
  static boolean ping(Path socket) {
    if (!Files.exists(socket)) {
      return false;
    }
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.wrap(
          "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer answer = ByteBuffer.allocate(64);
      while (answer.hasRemaining() && channel.read(answer) >= 0) {
        if (answer.position() >= 12) {
          break;
        }
      }
      String status = new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII);
      return status.matches("(?s)HTTP/1\\.[01] 200.*");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == DockerTestEngine.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return engine();
  }
}
