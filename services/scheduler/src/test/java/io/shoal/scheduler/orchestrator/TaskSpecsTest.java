package io.shoal.scheduler.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.ConfigReference;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.FileTarget;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.ServiceSpec;
import org.junit.jupiter.api.Test;

class TaskSpecsTest {
  private static final ServiceSpec SPEC = ServiceSpec.newBuilder().setName("app")
      .setContainer(ContainerSpec.newBuilder().setImage("busybox:1"))
      .addSecrets(SecretReference.newBuilder().setSecretId("s1").setSecretName("db")
          .setFile(FileTarget.newBuilder().setName("db").setUid("0").setGid("0").setMode(0444)))
      .addConfigs(ConfigReference.newBuilder().setConfigId("c1").setConfigName("conf")
          .setFile(FileTarget.newBuilder().setName("/conf").setUid("0").setGid("0").setMode(0444)))
      .build();

  @Test
  void aTaskWhoseSecretsOrConfigsChangedIsDirtyAsInSwarmkit() {
    assertThat(TaskSpecs.dirty(SPEC, SPEC)).isFalse();
    assertThat(TaskSpecs.dirty(SPEC, SPEC.toBuilder().clearSecrets().build())).isTrue();
    assertThat(TaskSpecs.dirty(SPEC, SPEC.toBuilder().clearConfigs().build())).isTrue();
    assertThat(TaskSpecs.dirty(SPEC, SPEC.toBuilder().setSecrets(0, SPEC.getSecrets(0).toBuilder()
        .setFile(SPEC.getSecrets(0).getFile().toBuilder().setMode(0400))).build())).isTrue();
    // Renaming the service is still no reason to replace its tasks.
    assertThat(TaskSpecs.dirty(SPEC, SPEC.toBuilder().setName("other").build())).isFalse();
  }
}
