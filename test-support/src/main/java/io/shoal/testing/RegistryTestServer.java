package io.shoal.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A real private registry (Debian's {@code docker-registry}, distribution 2.8) for tests, given
 * by {@link RegistryExtension}, or started with basic auth by {@link #startWithBasicAuth}.
 * It serves plain HTTP on loopback, which dockerd accepts for 127.0.0.0/8 without configuration.
 *
 * @param address {@code host:port} in image names, e.g. {@code 127.0.0.1:5123}
 * @param username empty when the registry needs no login
 * @param password empty when the registry needs no login
 * @param pushAddress where this machine's test engine pushes: {@code address}, unless the
 *     registry is reached elsewhere through a relay ({@link #at}); one registry either way
 */
public record RegistryTestServer(String address, String username, String password, String pushAddress) {

  public RegistryTestServer(String address) {
    this(address, "", "");
  }

  public RegistryTestServer(String address, String username, String password) {
    this(address, username, password, address);
  }

  /** This registry as reached at {@code relayAddress}; images are still pushed to {@link #pushAddress}. */
  public RegistryTestServer at(String relayAddress) {
    return new RegistryTestServer(relayAddress, username, password, pushAddress);
  }

  public boolean requiresAuth() {
    return !username.isEmpty();
  }

  /** An image name in this registry: {@code image("shoal-test/web")} → {@code 127.0.0.1:5123/shoal-test/web}. */
  public String image(String repository) {
    return address + "/" + repository;
  }

  /** Starts a registry on a free loopback port with no auth; it stops when the JVM exits. */
  public static RegistryTestServer start() {
    return start(null, null);
  }

  /**
   * Starts an extra registry on a free loopback port that requires HTTP basic auth for
   * {@code user}/{@code password} (a bcrypt htpasswd file made with {@code htpasswd -Bbn} of
   * Debian's {@code apache2-utils}); it stops when the JVM exits.
   */
  public static RegistryTestServer startWithBasicAuth(String user, String password) {
    return start(user, password);
  }

  private static RegistryTestServer start(String user, String password) {
    Path dir = ExternalProcess.tempDir("shoal-registry");
    int port = ExternalProcess.freePort();
    String address = "127.0.0.1:" + port;
    StringBuilder config = new StringBuilder()
        .append("version: 0.1\n")
        .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
        .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n')
        .append("  delete:\n    enabled: true\n")
        .append("http:\n  addr: ").append(address).append('\n')
        .append("  secret: ").append(UUID.randomUUID()).append('\n');
    if (user != null) {
      Path htpasswd = dir.resolve("htpasswd");
      write(htpasswd, htpasswdLine(user, password));
      config.append("auth:\n  htpasswd:\n    realm: shoal-test\n    path: ").append(htpasswd).append('\n');
    }
    Path configFile = dir.resolve("config.yml");
    write(configFile, config.toString());
    ExternalProcess.start("docker-registry",
            List.of("docker-registry", "serve", configFile.toString()), dir)
        .awaitReady(Duration.ofSeconds(30), () -> ExternalProcess.canConnect("127.0.0.1", port));
    return user == null ? new RegistryTestServer(address) : new RegistryTestServer(address, user, password);
  }

  private static String htpasswdLine(String user, String password) {
    if (!Commands.onPath("htpasswd")) {
      throw new IllegalStateException(
          "htpasswd not found: install Debian's apache2-utils (apt-get install -y apache2-utils)");
    }
    return Commands.run(List.of("htpasswd", "-Bbn", user, password)).orThrow() + "\n";
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
