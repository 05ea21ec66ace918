package io.shoal.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.RegistryAuth;
import io.shoal.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** config.json as `docker login` writes it; never the real ~/.docker (a temp dir each test). */
class DockerConfigTest {
  @TempDir Path dir;

  private DockerConfig config() {
    return DockerConfig.of(Map.of("DOCKER_CONFIG", dir.toString(), "HOME", "/nonexistent"));
  }

  private void write(String json) throws IOException {
    Files.writeString(dir.resolve("config.json"), json, StandardCharsets.UTF_8);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheBase64LoginDockerLoginWrote() throws IOException {
    write("{\"auths\": {\"127.0.0.1:5000\": {\"auth\": \"" + b64("ci:pa:ss") + "\"},"
        + " \"https://index.docker.io/v1/\": {\"auth\": \"" + b64("hub:pw") + "\"}}}");

    assertThat(config().find("127.0.0.1:5000")).contains(RegistryAuth.newBuilder()
        .setServerAddress("127.0.0.1:5000").setUsername("ci").setPassword("pa:ss").build());
    assertThat(config().find("docker.io")).hasValueSatisfying(a -> assertThat(a.getUsername()).isEqualTo("hub"));
    assertThat(config().find("registry.example.com")).isEmpty();
  }

  @Test
  void aMissingFileHasNoLogins() {
    assertThat(config().find("127.0.0.1:5000")).isEmpty();
  }

  @Test
  void saveKeepsOtherKeysReplacesTheLoginAndIsOnlyReadableByItsOwner() throws IOException {
    write("{\"auths\": {\"http://127.0.0.1:5000/\": {\"auth\": \"" + b64("old:old") + "\"}},"
        + " \"HttpHeaders\": {\"X-Team\": \"a\"}}");

    config().save("127.0.0.1:5000", "ci", "new-secret");

    String json = Files.readString(dir.resolve("config.json"));
    assertThat(json).contains("\"X-Team\": \"a\"").contains(b64("ci:new-secret")).doesNotContain(b64("old:old"));
    assertThat(config().find("127.0.0.1:5000")).hasValueSatisfying(a -> assertThat(a.getPassword()).isEqualTo("new-secret"));
    assertThat(Files.getPosixFilePermissions(dir.resolve("config.json")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void dockerHubIsSavedUnderDockersOwnKey() throws IOException {
    config().save("docker.io", "hub", "pw");

    assertThat(Files.readString(dir.resolve("config.json"))).contains("\"https://index.docker.io/v1/\"");
  }

  @Test
  void aLoginKeptByACredentialHelperIsNamed() throws IOException {
    write("{\"auths\": {}, \"credsStore\": \"desktop\"}");

    assertThatThrownBy(() -> config().find("127.0.0.1:5000"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("docker-credential-desktop")
        .hasMessageContaining("shoal login 127.0.0.1:5000");
  }

  @Test
  void brokenJsonIsNamedWithTheFile() throws IOException {
    write("{\"auths\": ");

    assertThatThrownBy(() -> config().find("x")).hasMessageContaining(dir.resolve("config.json") + " is not valid JSON");
  }

  @Test
  void withoutDockerConfigTheFileIsInHomeDotDocker() {
    assertThat(DockerConfig.of(Map.of("HOME", "/home/u")).file()).isEqualTo(Path.of("/home/u/.docker/config.json"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "busybox, docker.io",
      "library/busybox:1, docker.io",
      "user/app, docker.io",
      "docker.io/library/busybox, docker.io",
      "index.docker.io/library/busybox, docker.io",
      "127.0.0.1:5000/team/app:1@sha256:cafee199e5444a05c7ab1bca13ed359a679319b432500207c41ebebe5279bc9a, 127.0.0.1:5000",
      "localhost/app, localhost",
      "registry.example.com/a/b, registry.example.com",
      "UPPER/app, UPPER",
  })
  void theRegistryOfAnImageFollowsDockersRule(String image, String registry) {
    assertThat(DockerConfig.registryOf(image)).isEqualTo(registry);
  }
}
