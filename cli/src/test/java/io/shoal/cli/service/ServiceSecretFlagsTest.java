package io.shoal.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.ConfigReference;
import io.shoal.api.v1.FileTarget;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code service create --secret/--config} and {@code service update --secret-add/-rm, --config-add/-rm}. */
class ServiceSecretFlagsTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  private static SecretReference secret(String name) {
    return SecretReference.newBuilder().setSecretName(name).build();
  }

  @Test
  void createSendsEachReferenceInBothForms() {
    Result r = cli.run("service", "create", "-d", "--secret", "db-password",
        "--secret", "source=tls,target=key.pem,uid=1000,gid=1000,mode=0400",
        "--config", "src=nginx.conf,target=/etc/nginx/nginx.conf", "--name", "web", "nginx");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    ServiceSpec sent = cli.control().creates().get(0).getSpec();
    assertThat(sent.getSecretsList()).containsExactly(secret("db-password"),
        SecretReference.newBuilder().setSecretName("tls").setFile(FileTarget.newBuilder()
            .setName("key.pem").setUid("1000").setGid("1000").setMode(0400)).build());
    assertThat(sent.getConfigsList()).containsExactly(ConfigReference.newBuilder().setConfigName("nginx.conf")
        .setFile(FileTarget.newBuilder().setName("/etc/nginx/nginx.conf")).build());
  }

  @Test
  void aBadValueIsAUsageError() {
    Result r = cli.run("service", "create", "--secret", "src=a,mode=rw", "nginx");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errLines().get(0)).isEqualTo("shoal: Invalid value for option '--secret': bad secret"
        + " \"src=a,mode=rw\": mode \"rw\" is not a number (octal like 0444)");
  }

  @Test
  void updateRemovesByNameThenAppendsAndWarnsOfARemovalThatMatchedNothing() {
    cli.control().addService(Fixtures.replicated("web", "nginx:1.27", 1).toBuilder()
        .addSecrets(secret("old")).addSecrets(secret("kept"))
        .addConfigs(ConfigReference.newBuilder().setConfigName("conf")).build());

    Result r = cli.run("service", "update", "-d", "--secret-rm", "old", "--secret-rm", "never",
        "--secret-add", "new", "--config-rm", "conf", "--config-add", "src=conf2,target=/c", "web");

    assertThat(r.exitCode()).isZero();
    assertThat(r.errLines()).containsExactly("shoal: warning: --secret-rm never: the service does not use it");
    ServiceSpec sent = cli.control().updates().get(0).getSpec();
    assertThat(sent.getSecretsList()).containsExactly(secret("kept"), secret("new"));
    assertThat(sent.getConfigsList()).containsExactly(ConfigReference.newBuilder().setConfigName("conf2")
        .setFile(FileTarget.newBuilder().setName("/c")).build());
  }
}
