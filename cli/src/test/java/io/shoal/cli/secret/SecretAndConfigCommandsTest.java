package io.shoal.cli.secret;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.shoal.api.v1.Config;
import io.shoal.api.v1.ConfigSpec;
import io.shoal.api.v1.Secret;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.SecretSpec;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.TableOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code shoal secret|config create|ls|inspect|rm}, in Docker's words and formats. */
class SecretAndConfigCommandsTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  @Test
  void secretCreateReadsTheFileSendsTheLabelsAndPrintsTheId(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("pw.txt");
    Files.writeString(file, "hunter2\n");

    Result r = cli.run("secret", "create", "--label", "env=prod", "-l", "team", "db-password", file.toString());

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsExactly(cli.control().secrets().get(0).getId());
    assertThat(cli.control().secretCreates()).containsExactly(SecretSpec.newBuilder().setName("db-password")
        .putLabels("env", "prod").putLabels("team", "").setData(ByteString.copyFromUtf8("hunter2\n")).build());
  }

  @Test
  void aDashReadsStdin() {
    Result r = cli.stdin("from-stdin").run("secret", "create", "token", "-");

    assertThat(r.exitCode()).isZero();
    assertThat(cli.control().secretCreates().get(0).getData().toStringUtf8()).isEqualTo("from-stdin");
  }

  @Test
  void aMissingOrTooLargeFileIsOneLineAndNothingIsSent(@TempDir Path dir) throws IOException {
    Path big = dir.resolve("big");
    Files.write(big, new byte[500 * 1024 + 1]);

    assertThat(cli.run("secret", "create", "s", dir.resolve("nope").toString()).errLines())
        .containsExactly("shoal: open " + dir.resolve("nope") + ": no such file or directory");
    Result r = cli.run("config", "create", "c", big.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly(
        "shoal: " + big + " holds more than 512000 bytes (500 KiB), the most control keeps");
    assertThat(cli.control().secretCreates()).isEmpty();
    assertThat(cli.control().configs()).isEmpty();
  }

  @Test
  void createOfATakenNameIsControlsAlreadyExists(@TempDir Path dir) throws IOException {
    cli.control().addSecret(SecretSpec.newBuilder().setName("taken").build());
    Path file = dir.resolve("v");
    Files.writeString(file, "v");

    Result r = cli.run("secret", "create", "taken", file.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("shoal: secret taken already exists (ALREADY_EXISTS)");
  }

  @Test
  void secretLsHasDockersColumnsSortedByName() {
    Secret b = cli.control().addSecret(SecretSpec.newBuilder().setName("b").build());
    Secret a = cli.control().addSecret(SecretSpec.newBuilder().setName("a").build());
    Secret c = cli.control().addSecret(SecretSpec.newBuilder().setName("c").build());
    cli.clock().advance(Duration.ofMinutes(2));

    Result r = cli.run("secret", "ls");

    assertThat(r.exitCode()).isZero();
    assertThat(TableOutput.rows(r.outLines(), "ID", "NAME", "DRIVER", "CREATED", "UPDATED")).containsExactly(
        List.of(a.getId(), "a", "", "2 minutes ago", "2 minutes ago"),
        List.of(b.getId(), "b", "", "2 minutes ago", "2 minutes ago"),
        List.of(c.getId(), "c", "", "2 minutes ago", "2 minutes ago"));
    assertThat(cli.run("secret", "ls", "-q").outLines()).containsExactly(a.getId(), b.getId(), c.getId());
  }

  @Test
  void secretInspectIsJsonOrDockersPrettyFormWithoutData() {
    Secret s = cli.control().addSecret(SecretSpec.newBuilder().setName("api-key").putLabels("env", "prod").build());

    Result json = cli.run("secret", "inspect", "api-key");
    Result pretty = cli.run("secret", "inspect", "--pretty", "api-key");

    assertThat(json.out()).contains("\"id\": \"" + s.getId() + "\"").doesNotContain("data");
    assertThat(pretty.outLines()).containsExactly(
        "ID:              " + s.getId(),
        "Name:              api-key",
        "Labels:",
        " - env=prod",
        "Driver:            ",
        "Created at:        2025-03-01 12:00:00.000000000 +0000 UTC",
        "Updated at:        2025-03-01 12:00:00.000000000 +0000 UTC");
  }

  @Test
  void configInspectShowsTheDataAndLsHasNoDriver() {
    Config c = cli.control().addConfig(ConfigSpec.newBuilder().setName("nginx.conf")
        .setData(ByteString.copyFromUtf8("listen 80;")).build());

    assertThat(cli.run("config", "inspect", "--pretty", "nginx.conf").outLines()).containsExactly(
        "ID:\t\t\t" + c.getId(),
        "Name:\t\t\tnginx.conf",
        "Created at:            \t2025-03-01 12:00:00.000000000 +0000 UTC",
        "Updated at:            \t2025-03-01 12:00:00.000000000 +0000 UTC",
        "Data:",
        "listen 80;");
    assertThat(cli.run("config", "ls").outLines().get(0).split("\\s{2,}"))
        .containsExactly("ID", "NAME", "CREATED", "UPDATED");
  }

  @Test
  void rmRemovesEachAndAOneInUseIsRefusedNamingTheService() {
    cli.control().addSecret(SecretSpec.newBuilder().setName("used").build());
    cli.control().addSecret(SecretSpec.newBuilder().setName("free").build());
    cli.control().addService(ServiceSpec.newBuilder().setName("web")
        .addSecrets(SecretReference.newBuilder().setSecretName("used")).build());

    Result r = cli.run("secret", "rm", "used", "free");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.outLines()).containsExactly("free");
    assertThat(r.errLines()).containsExactly("shoal: secret used is in use by service web; take it off them first"
        + " (service update --secret-rm used SERVICE) or remove them (FAILED_PRECONDITION)");
    assertThat(cli.control().secrets()).extracting(s -> s.getSpec().getName()).containsExactly("used");
  }
}
