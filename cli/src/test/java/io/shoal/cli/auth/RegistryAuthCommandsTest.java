package io.shoal.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.RegistryAuth;
import io.shoal.cli.testing.CliHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `shoal login` and `--with-registry-auth` on create/update, against the fake control service. */
class RegistryAuthCommandsTest {
  @RegisterExtension final CliHarness cli = new CliHarness();
  @TempDir Path dockerConfig;

  @BeforeEach
  void isolateDockerConfig() {
    cli.env("DOCKER_CONFIG", dockerConfig.toString()).env("HOME", dockerConfig.resolve("home").toString());
  }

  private CliHarness.Result login(String registry, String user, String password) {
    return cli.stdin(password + "\n").run("login", "--username", user, "--password-stdin", registry);
  }

  @Test
  void loginWritesDockersFormatAndCreateSendsItWithRegistryAuth() {
    CliHarness.Result logged = login("127.0.0.1:5000", "ci", "s3cret");
    assertThat(logged.exitCode()).isZero();
    assertThat(logged.out()).contains("Login for 127.0.0.1:5000 saved in " + dockerConfig.resolve("config.json"));

    CliHarness.Result created = cli.run("service", "create", "--detach", "--with-registry-auth", "--name", "web",
        "127.0.0.1:5000/team/web:1");

    assertThat(created.exitCode()).isZero();
    assertThat(cli.control().creates()).singleElement().satisfies(r -> assertThat(r.getRegistryAuth())
        .isEqualTo(RegistryAuth.newBuilder().setServerAddress("127.0.0.1:5000").setUsername("ci")
            .setPassword("s3cret").build()));
    assertThat(created.out() + created.err()).doesNotContain("s3cret");
  }

  @Test
  void withoutTheFlagNoCredentialsAreSent() {
    login("127.0.0.1:5000", "ci", "s3cret");

    cli.run("service", "create", "--detach", "--name", "web", "127.0.0.1:5000/team/web:1");

    assertThat(cli.control().creates()).singleElement().satisfies(r -> assertThat(r.hasRegistryAuth()).isFalse());
  }

  @Test
  void withRegistryAuthButNoLoginWarnsAndCreatesWithoutCredentials() {
    CliHarness.Result created = cli.run("service", "create", "--detach", "--with-registry-auth", "--name", "web",
        "127.0.0.1:5000/team/web:1");

    assertThat(created.exitCode()).isZero();
    assertThat(created.err()).contains("--with-registry-auth: no login for 127.0.0.1:5000")
        .contains("shoal login 127.0.0.1:5000");
    assertThat(cli.control().creates()).singleElement().satisfies(r -> assertThat(r.hasRegistryAuth()).isFalse());
  }

  @Test
  void updateWithRegistryAuthSendsTheLoginForTheNewImagesRegistry() {
    login("registry.example.com", "deployer", "pw2");
    cli.run("service", "create", "--detach", "--name", "web", "127.0.0.1:5000/team/web:1");

    CliHarness.Result updated = cli.run("service", "update", "--detach", "--with-registry-auth",
        "--image", "registry.example.com/team/web:2", "web");

    assertThat(updated.exitCode()).isZero();
    assertThat(cli.control().updates()).last().satisfies(r -> {
      assertThat(r.getRegistryAuth().getServerAddress()).isEqualTo("registry.example.com");
      assertThat(r.getRegistryAuth().getUsername()).isEqualTo("deployer");
    });
  }

  @Test
  void updateWithImageAsksControlToResolveItEvenWhenUnchangedOtherUpdatesDoNot() {
    cli.run("service", "create", "--detach", "--name", "web", "127.0.0.1:5000/team/web:1");

    cli.run("service", "update", "--detach", "--image", "127.0.0.1:5000/team/web:1", "web");
    assertThat(cli.control().updates()).last().satisfies(r -> assertThat(r.getResolveImage()).isTrue());
    cli.run("service", "update", "--detach", "--env-add", "A=b", "web");
    assertThat(cli.control().updates()).last().satisfies(r -> assertThat(r.getResolveImage()).isFalse());
  }

  @Test
  void loginWithoutATerminalOrStdinSaysHowToPassThePassword() {
    CliHarness.Result r = cli.run("login", "--username", "ci", "127.0.0.1:5000");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("use --password-stdin");
    assertThat(Files.exists(dockerConfig.resolve("config.json"))).isFalse();
  }
}
