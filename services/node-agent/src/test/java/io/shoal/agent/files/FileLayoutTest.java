package io.shoal.agent.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.ConfigReference;
import io.shoal.api.v1.FileDataKind;
import io.shoal.api.v1.FileTarget;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FileLayoutTest {
  private static Task task(List<SecretReference> secrets, List<ConfigReference> configs) {
    return Task.newBuilder().setId("t1")
        .setSpec(ServiceSpec.newBuilder().addAllSecrets(secrets).addAllConfigs(configs)).build();
  }

  @Test
  void swarmsDefaultsSecretsUnderRunSecretsConfigsAtTheRootReadableByAll() {
    List<FileLayout.PlannedFile> files = FileLayout.of(task(
        List.of(SecretReference.newBuilder().setSecretId("s1").setSecretName("db").build()),
        List.of(ConfigReference.newBuilder().setConfigId("c1").setConfigName("app.conf").build())));

    assertThat(files).containsExactly(
        new FileLayout.PlannedFile(FileLayout.of(task(List.of(SecretReference.newBuilder().setSecretId("s1")
            .setSecretName("db").build()), List.of())).get(0).ref(), "db", "secret-0", "/run/secrets/db", 0, 0, 0444),
        new FileLayout.PlannedFile(files.get(1).ref(), "app.conf", "config-0", "/app.conf", 0, 0, 0444));
    assertThat(files.get(0).ref().getKind()).isEqualTo(FileDataKind.FILE_DATA_KIND_SECRET);
    assertThat(files.get(1).ref().getKind()).isEqualTo(FileDataKind.FILE_DATA_KIND_CONFIG);
    assertThat(files.get(1).ref().getId()).isEqualTo("c1");
  }

  @Test
  void targetsOwnersAndModesAsTheReferenceSays() {
    List<FileLayout.PlannedFile> files = FileLayout.of(task(
        List.of(SecretReference.newBuilder().setSecretId("s1").setSecretName("db")
            .setFile(FileTarget.newBuilder().setName("app/pw").setUid("1000").setGid("4294967294").setMode(0400))
            .build()),
        List.of(ConfigReference.newBuilder().setConfigId("c1").setConfigName("cfg")
            .setFile(FileTarget.newBuilder().setName("/etc/app.conf").setMode(0640)).build(),
            ConfigReference.newBuilder().setConfigId("c2").setConfigName("cfg2")
                .setFile(FileTarget.newBuilder().setName("etc/other.conf")).build())));

    assertThat(files).extracting(FileLayout.PlannedFile::target)
        .containsExactly("/run/secrets/app/pw", "/etc/app.conf", "/etc/other.conf");
    assertThat(files).extracting(FileLayout.PlannedFile::hostName).containsExactly("secret-0", "config-0", "config-1");
    assertThat(files.get(0).uid()).isEqualTo(1000);
    assertThat(Integer.toUnsignedLong(files.get(0).gid())).isEqualTo(4294967294L);
    assertThat(files.get(0).mode()).isEqualTo(0400);
    assertThat(files.get(1).mode()).isEqualTo(0640);
  }

  @ParameterizedTest
  @CsvSource({"../etc/passwd", "a/../../b", "a//b", "./a", "a/"})
  void aTargetThatCouldLeaveItsPlaceIsRefused(String name) {
    Task t = task(List.of(SecretReference.newBuilder().setSecretId("s1").setSecretName("db")
        .setFile(FileTarget.newBuilder().setName(name)).build()), List.of());
    assertThatThrownBy(() -> FileLayout.of(t)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("element");
  }

  @Test
  void twoFilesAtOneTargetOrABadOwnerOrModeAreRefused() {
    SecretReference one = SecretReference.newBuilder().setSecretId("s1").setSecretName("x").build();
    ConfigReference clash = ConfigReference.newBuilder().setConfigId("c1").setConfigName("c")
        .setFile(FileTarget.newBuilder().setName("/run/secrets/x")).build();
    assertThatThrownBy(() -> FileLayout.of(task(List.of(one), List.of(clash))))
        .hasMessageContaining("/run/secrets/x");
    assertThatThrownBy(() -> FileLayout.of(task(List.of(one.toBuilder()
        .setFile(FileTarget.newBuilder().setUid("root")).build()), List.of()))).hasMessageContaining("uid root");
    assertThatThrownBy(() -> FileLayout.of(task(List.of(one.toBuilder()
        .setFile(FileTarget.newBuilder().setMode(04755)).build()), List.of()))).hasMessageContaining("mode 4755");
  }

  @ParameterizedTest
  @CsvSource({"0444, r--r--r--", "0400, r--------", "0640, rw-r-----", "0777, rwxrwxrwx", "0001, --------x"})
  void modesBecomeJavasPermissions(String octal, String expected) {
    assertThat(PosixFilePermissions.toString(TmpfsTaskFiles.permissions(Integer.parseInt(octal, 8))))
        .isEqualTo(expected);
  }

  @Test
  void aTmpfsHoldsAPageAtLeastPerFile() {
    assertThat(FileLayout.tmpfsBytes(List.of())).isEqualTo(4096);
    assertThat(FileLayout.tmpfsBytes(List.of(1, 4096, 4097))).isEqualTo(4096 + 4096 + 4096 + 8192);
  }

  @Test
  void mountinfoLinesAreReadWithTheirEscapes() {
    String line = "1234 25 0:99 / /var/lib/shoal/task\\040files/t1 rw,nosuid,nodev,noexec,relatime shared:7"
        + " - tmpfs tmpfs rw,size=8k,mode=700";
    assertThat(HostMounts.mountsTmpfsAt(line, "/var/lib/shoal/task files/t1")).isTrue();
    assertThat(HostMounts.mountsTmpfsAt(line, "/var/lib/shoal/task files/t2")).isFalse();
    assertThat(HostMounts.mountsTmpfsAt(
        "30 25 8:1 / /data rw,relatime - ext4 /dev/sda1 rw", "/data")).isFalse();
  }
}
