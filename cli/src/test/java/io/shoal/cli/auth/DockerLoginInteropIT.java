package io.shoal.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.RegistryTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A login made by the real `docker login` serves shoal, and one saved by `shoal login` lets docker pull. */
@Tag("docker")
@ExtendWith(DockerExtension.class)
class DockerLoginInteropIT {
  private static final String USER = "interop";
  private static final String PASSWORD = "s3cret-" + Long.toHexString(System.nanoTime());

  @TempDir Path dockersConfig;
  @TempDir Path shoalsConfig;

  private static List<String> docker(DockerTestEngine engine, Path config, String... args) {
    List<String> command = new ArrayList<>(engine.command());
    command.addAll(1, List.of("--config", config.toString()));
    command.addAll(List.of(args));
    return command;
  }

  @Test
  void dockerLoginIsReadAndShoalLoginIsAcceptedByDocker(DockerTestEngine engine) {
    RegistryTestServer secured = RegistryTestServer.startWithBasicAuth(USER, PASSWORD);

    io.shoal.testing.Commands.run(docker(engine, dockersConfig, "login", "-u", USER, "--password-stdin",
        secured.address()), PASSWORD).orThrow();
    assertThat(DockerConfig.of(Map.of("DOCKER_CONFIG", dockersConfig.toString())).find(secured.address()))
        .hasValueSatisfying(a -> {
          assertThat(a.getUsername()).isEqualTo(USER);
          assertThat(a.getPassword()).isEqualTo(PASSWORD);
        });

    String image = io.shoal.testing.TestImages.busybox(secured.image("interop/app") + ":1")
        .credentials(secured).push(engine);
    io.shoal.testing.TestImages.removeLocal(engine, image);
    String byTag = secured.image("interop/app") + ":1";
    var anonymous = io.shoal.testing.Commands.run(docker(engine, shoalsConfig, "pull", byTag));
    assertThat(anonymous.ok()).as("a pull without a login must fail").isFalse();

    new DockerConfig(shoalsConfig.resolve("config.json")).save(secured.address(), USER, PASSWORD);
    var pull = io.shoal.testing.Commands.run(docker(engine, shoalsConfig, "pull", byTag));
    assertThat(pull.ok()).as(pull.stderr()).isTrue();
  }
}
