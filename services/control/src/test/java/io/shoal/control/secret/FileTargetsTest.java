package io.shoal.control.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.FileTarget;
import io.shoal.common.errors.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class FileTargetsTest {
  private static FileTarget secret(FileTarget.Builder file) {
    return FileTargets.normalize("f", file.build(), "src", true);
  }

  private static FileTarget config(FileTarget.Builder file) {
    return FileTargets.normalize("f", file.build(), "src", false);
  }

  private static void refused(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOf(InvalidArgumentException.class).hasMessage(message);
  }

  @Test
  void swarmsDefaultsAreTheSourcesNameRootAnd0444() {
    assertThat(secret(FileTarget.newBuilder()))
        .isEqualTo(FileTarget.newBuilder().setName("src").setUid("0").setGid("0").setMode(0444).build());
    assertThat(config(FileTarget.newBuilder()).getName()).isEqualTo("/src");
    assertThat(config(FileTarget.newBuilder().setName("etc/app.conf")).getName()).isEqualTo("/etc/app.conf");
    assertThat(config(FileTarget.newBuilder().setName("/etc/app.conf")).getName()).isEqualTo("/etc/app.conf");
  }

  @Test
  void idsAreNumericAndCanonical() {
    FileTarget f = secret(FileTarget.newBuilder().setUid("0033").setGid("4294967294").setMode(0600));

    assertThat(f.getUid()).isEqualTo("33");
    assertThat(f.getGid()).isEqualTo("4294967294");
    assertThat(f.getMode()).isEqualTo(0600);
    refused(() -> secret(FileTarget.newBuilder().setUid("nobody")),
        "f.uid: \"nobody\" must be a numeric id (names are not resolved)");
    refused(() -> secret(FileTarget.newBuilder().setGid("4294967295")), "f.gid: 4294967295 exceeds the limit of 4294967294");
    refused(() -> secret(FileTarget.newBuilder().setUid("12345678901")), "f.uid: is 11 characters long; the limit is 10");
    refused(() -> secret(FileTarget.newBuilder().setUid("-1")), "f.uid: \"-1\" must be a numeric id (names are not resolved)");
  }

  @Test
  void theModeIsPermissionBitsOnly() {
    refused(() -> secret(FileTarget.newBuilder().setMode(04755)), "f.mode: 04755 has bits beyond the permission bits (0777)");
    refused(() -> secret(FileTarget.newBuilder().setMode(-1)),
        "f.mode: 037777777777 has bits beyond the permission bits (0777)");
  }

  @Test
  void pathsCannotClimbOutOrBeAbsoluteForASecret() {
    assertThat(secret(FileTarget.newBuilder().setName("tls/key.pem")).getName()).isEqualTo("tls/key.pem");
    refused(() -> secret(FileTarget.newBuilder().setName("/etc/shadow")),
        "f.name: \"/etc/shadow\" must be relative to /run/secrets/ (a secret's file lies there)");
    refused(() -> secret(FileTarget.newBuilder().setName("../etc/shadow")),
        "f.name: \"../etc/shadow\" must be a path of file names, without empty, \".\" or \"..\" elements");
    refused(() -> config(FileTarget.newBuilder().setName("/etc/../shadow")),
        "f.name: \"etc/../shadow\" must be a path of file names, without empty, \".\" or \"..\" elements");
    refused(() -> config(FileTarget.newBuilder().setName("/")),
        "f.name: \"\" must be a path of file names, without empty, \".\" or \"..\" elements");
    refused(() -> config(FileTarget.newBuilder().setName("/etc/")),
        "f.name: \"etc/\" must be a path of file names, without empty, \".\" or \"..\" elements");
    refused(() -> secret(FileTarget.newBuilder().setName("x".repeat(256))), "f.name: is 256 characters long; the limit is 255");
  }
}
